import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'
import { flattenKeys } from './index'

describe('i18n messages', () => {
  it('zh-CN and en have exactly the same keys', () => {
    const zh = new Set(flattenKeys(zhCN))
    const eng = new Set(flattenKeys(en))
    expect([...zh].filter((k) => !eng.has(k))).toEqual([])
    expect([...eng].filter((k) => !zh.has(k))).toEqual([])
    expect(zh.size).toBeGreaterThan(300)
  })

  it('no message is empty', () => {
    const empty = (obj: unknown, lang: string) =>
      flattenKeys(obj).filter((k) => {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], obj)
        return typeof v !== 'string' || v.trim() === ''
      }).map((k) => `${lang}:${k}`)
    expect([...empty(zhCN, 'zh'), ...empty(en, 'en')]).toEqual([])
  })

  it('both languages use the same placeholders in every message', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',')
    const get = (obj: unknown, k: string) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], obj) as string
    const diff = flattenKeys(zhCN).filter((k) => params(get(zhCN, k)) !== params(get(en, k)))
    expect(diff).toEqual([])
  })

  it('the Chinese texts use the HR vocabulary', () => {
    expect(zhCN.model.title).toBe('胜任力模型')
    expect(zhCN.recommendation).toMatchObject({ recommend: '推荐', review: '待定', not_recommended: '不推荐' })
    expect(zhCN.application.explanation).toBe('得分依据')
    expect(zhCN.application.overall).toBe('综合评分')
  })
})
