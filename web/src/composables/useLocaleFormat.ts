import { useI18n } from 'vue-i18n'
import { formatDate, formatDateTime, pick } from '@/lib/format'

/** Date formatting and zh/en picking bound to the current UI language. */
export function useLocaleFormat() {
  const { locale } = useI18n()
  return {
    dt: (iso: string | null | undefined) => formatDateTime(iso, locale.value),
    date: (iso: string | null | undefined) => formatDate(iso, locale.value),
    pick: (zh: string | null | undefined, en: string | null | undefined) => pick(zh, en, locale.value),
    isZh: () => locale.value.startsWith('zh'),
  }
}
