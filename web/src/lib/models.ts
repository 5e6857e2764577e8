// Small pure helpers of the scoring-models page (supervised scoring on HR ratings).
import type { ScoringModel } from '@/api/types'

/**
 * The server writes some texts in both languages as "中文 / English"; this picks the half of the UI
 * language (the whole text when it has no separator).
 */
export function pickBilingual(text: string, zh: boolean): string {
  const i = text.indexOf(' / ')
  if (i < 0) return text
  return zh ? text.slice(0, i) : text.slice(i + 3)
}

/** The import format from a file name or, failing that, from the first line (a tab means TSV). */
export function detectFormat(fileName: string, text: string): 'csv' | 'tsv' {
  const n = fileName.toLowerCase()
  if (n.endsWith('.csv')) return 'csv'
  if (n.endsWith('.tsv') || n.endsWith('.tab')) return 'tsv'
  const first = text.split(/\r?\n/, 1)[0] ?? ''
  return first.includes('\t') ? 'tsv' : 'csv'
}

/** True while a version is still training: the page polls until none is. */
export function anyTraining(models: readonly ScoringModel[]): boolean {
  return models.some((m) => m.status === 'training')
}

/** A metric to two decimals, or a dash. */
export function metric(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '–'
}
