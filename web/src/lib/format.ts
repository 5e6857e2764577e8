// Dates and numbers in the user's language.

// Building an Intl.DateTimeFormat costs far more than using one, and tables format a date per row:
// one formatter per locale and style.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' })
    formatters.set(key, f)
  }
  return f
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return formatter(locale, true).format(d)
}

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return formatter(locale, false).format(d)
}

/** Whole days between `iso` and `now` (never negative). */
export function ageDays(iso: string, now: Date = new Date()): number {
  const ms = now.getTime() - new Date(iso).getTime()
  return Math.max(0, Math.floor(ms / 86_400_000))
}

export function formatScore(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : (Math.round(v * 10) / 10).toFixed(1)
}

/** Picks the text of the UI language, falling back to the other language when it is empty. */
export function pick(zh: string | null | undefined, en: string | null | undefined, locale: string): string {
  const a = locale.startsWith('zh') ? zh : en
  const b = locale.startsWith('zh') ? en : zh
  return (a && a.trim()) || b || ''
}
