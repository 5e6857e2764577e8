import { describe, expect, it } from 'vitest'
import { channelBody, configForm } from './channels'
import { pickBilingual, detectFormat, anyTraining, metric } from './models'
import { variableToken } from './templates'

describe('notification channel form', () => {
  it('fills the defaults of a kind and keeps stored values', () => {
    expect(configForm('email')).toMatchObject({ port: 587, tls: 'starttls', verify_tls: true, host: '' })
    expect(configForm('email', { host: 'smtp.example.com', port: 25 })).toMatchObject({ host: 'smtp.example.com', port: 25 })
    expect(configForm('wecom')).toEqual({})
  })

  it('creates with the kind, typed config and only the secrets typed', () => {
    const body = channelBody('email', ' 邮件 ', true, { host: 'smtp.example.com', port: '465', tls: 'tls', verify_tls: true, username: '', from_address: 'hr@example.com', from_name: '' }, { password: ' s3cret ' }, false)
    expect(body).toEqual({
      kind: 'email',
      name: '邮件',
      enabled: true,
      config: { host: 'smtp.example.com', port: 465, tls: 'tls', verify_tls: true, from_address: 'hr@example.com' },
      secrets: { password: 's3cret' },
    })
  })

  it('on edit never sends an empty secret (keeps the stored one) and removes cleared config', () => {
    const body = channelBody('dingtalk', 'robot', false, {}, { webhook_url: '', sign_secret: '  ' }, true)
    expect(body).toEqual({ name: 'robot', enabled: false })
    const sms = channelBody('sms', 'gw', true, { url: 'https://sms.example.com', method: 'POST', content_type: 'json', body_template: '' }, {}, true)
    expect(sms.config).toEqual({ url: 'https://sms.example.com', method: 'POST', content_type: 'json', body_template: null })
    expect(sms).not.toHaveProperty('kind')
  })
})

describe('scoring-model helpers', () => {
  it('picks the half of a bilingual server text', () => {
    const msg = '评分不足：1/50 条 / 1 of the 50 rated answers needed'
    expect(pickBilingual(msg, true)).toBe('评分不足：1/50 条')
    expect(pickBilingual(msg, false)).toBe('1 of the 50 rated answers needed')
    expect(pickBilingual('only one', false)).toBe('only one')
  })

  it('detects the import format', () => {
    expect(detectFormat('ratings.CSV', 'a\tb')).toBe('csv')
    expect(detectFormat('ratings.tsv', 'a,b')).toBe('tsv')
    expect(detectFormat('', 'label\ttext\n1\tx')).toBe('tsv')
    expect(detectFormat('', 'label,text\n1,x')).toBe('csv')
  })

  it('polls while a version trains; formats metrics', () => {
    const m = (status: 'training' | 'ready') => ({ status }) as Parameters<typeof anyTraining>[0][number]
    expect(anyTraining([m('ready'), m('training')])).toBe(true)
    expect(anyTraining([m('ready')])).toBe(false)
    expect(metric(0.8123)).toBe('0.81')
    expect(metric(null)).toBe('–')
  })

  it('writes a template variable with its braces', () => {
    expect(variableToken('candidate_name')).toBe('{{candidate_name}}')
  })
})
