import { ElMessage } from 'element-plus'
import { useI18n } from 'vue-i18n'
import { describeError } from '@/api/errors'

/** Error texts in the user's language, and a toast for failed actions. */
export function useErrors() {
  const { t, te } = useI18n()
  const describe = (e: unknown): string => describeError(e, (k, p) => (p ? t(k, p) : t(k)), (k) => te(k))
  const notify = (e: unknown): void => {
    ElMessage({ type: 'error', message: describe(e), showClose: true, duration: 6000 })
  }
  return { describe, notify }
}
