// The settings of each notification-channel kind (docs/openapi.yaml, NotificationChannelCreate) and the
// body the channel form sends. Secrets are write-only: the server returns only hints, so an empty secret
// field on edit means "keep the stored one" and is not sent.
import type { ChannelKind, NotificationChannelInput } from '@/api/types'

export type FieldType = 'text' | 'number' | 'bool' | 'select' | 'textarea'

export interface ConfigField {
  key: string
  type: FieldType
  options?: string[]
  default?: string | number | boolean
}

export const CHANNEL_FIELDS: Record<ChannelKind, { config: ConfigField[]; secrets: string[] }> = {
  email: {
    config: [
      { key: 'host', type: 'text' },
      { key: 'port', type: 'number', default: 587 },
      { key: 'tls', type: 'select', options: ['starttls', 'tls', 'none'], default: 'starttls' },
      { key: 'verify_tls', type: 'bool', default: true },
      { key: 'username', type: 'text' },
      { key: 'from_address', type: 'text' },
      { key: 'from_name', type: 'text' },
    ],
    secrets: ['password'],
  },
  sms: {
    config: [
      { key: 'url', type: 'text' },
      { key: 'method', type: 'select', options: ['POST', 'PUT'], default: 'POST' },
      { key: 'content_type', type: 'select', options: ['json', 'form'], default: 'json' },
      { key: 'body_template', type: 'textarea' },
    ],
    secrets: ['api_key'],
  },
  wecom: { config: [], secrets: ['webhook_url'] },
  dingtalk: { config: [], secrets: ['webhook_url', 'sign_secret'] },
  feishu: { config: [], secrets: ['webhook_url', 'sign_secret'] },
}

export type ConfigValues = Record<string, string | number | boolean | null | undefined>

/** The form's config values for a kind: the stored ones, else the defaults. */
export function configForm(kind: ChannelKind, stored: Record<string, string | number | boolean> = {}): ConfigValues {
  const out: ConfigValues = {}
  for (const f of CHANNEL_FIELDS[kind].config) out[f.key] = stored[f.key] ?? f.default ?? (f.type === 'bool' ? false : f.type === 'number' ? null : '')
  return out
}

/**
 * The create (editing false) or patch body. Empty config texts are left out on create and sent as null
 * (removed) on edit; secrets are sent only when typed.
 */
export function channelBody(
  kind: ChannelKind,
  name: string,
  enabled: boolean,
  config: ConfigValues,
  secrets: Record<string, string>,
  editing: boolean,
): NotificationChannelInput {
  const cfg: Record<string, string | number | boolean | null> = {}
  for (const f of CHANNEL_FIELDS[kind].config) {
    const v = config[f.key]
    const empty = v === undefined || v === null || v === ''
    if (empty) {
      if (editing) cfg[f.key] = null
    } else cfg[f.key] = f.type === 'number' ? Number(v) : (v as string | boolean)
  }
  const sec: Record<string, string> = {}
  for (const k of CHANNEL_FIELDS[kind].secrets) if (secrets[k]?.trim()) sec[k] = secrets[k].trim()
  const body: NotificationChannelInput = { name: name.trim(), enabled }
  if (!editing) body.kind = kind
  if (Object.keys(cfg).length) body.config = cfg
  if (Object.keys(sec).length) body.secrets = sec
  return body
}
