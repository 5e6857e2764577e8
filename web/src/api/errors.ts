// Turns an error into a sentence in the user's language. Known error codes have their own text; the
// server's English message is shown only where no translation exists (and always in English mode),
// with the field-level details of a validation failure.
import { ApiError } from './client'

export type Translate = (key: string, params?: Record<string, unknown>) => string
export type HasKey = (key: string) => boolean

export function describeError(e: unknown, t: Translate, te: HasKey): string {
  if (!(e instanceof ApiError)) {
    return t('errors.unexpected', { message: e instanceof Error ? e.message : String(e) })
  }
  const key = `errors.code.${e.code}`
  const base = te(key) ? t(key) : t('errors.generic', { status: e.status, message: e.message })
  const fields = e.details
    .filter((d) => d.field || d.message)
    .map((d) => (d.field ? `${d.field}: ${d.message ?? ''}` : String(d.message)))
  return fields.length ? `${base} (${fields.join('; ')})` : base
}
