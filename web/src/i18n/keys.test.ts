/// <reference types="node" />
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

describe('keys used in the code', () => {
  it('every t() key written in a component or module exists (and every dynamic prefix is a group)', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs')
    const { join } = await import('node:path')
    const root = join(__dirname, '..')
    const files: string[] = []
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.(vue|ts)$/.test(f) && !f.endsWith('.test.ts') && !p.includes('/i18n/')) files.push(p)
      }
    }
    walk(root)
    const keys = new Set(flattenKeys(zhCN))
    const groups = new Set([...keys].flatMap((k) => k.split('.').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('.'))))
    const missing: string[] = []
    let literal = 0
    for (const f of files) {
      const src = readFileSync(f, 'utf8')
      for (const m of src.matchAll(/\b(?:t|te)\(\s*'([A-Za-z0-9_.]+)'(\s*\+)?/g)) {
        const [, key, dynamic] = m
        if (dynamic) {
          if (!groups.has(key.replace(/\.$/, ''))) missing.push(`${f}: ${key}*`)
        } else {
          literal++
          if (!keys.has(key)) missing.push(`${f}: ${key}`)
        }
      }
    }
    expect(missing).toEqual([])
    expect(literal).toBeGreaterThan(300)
  })
})
