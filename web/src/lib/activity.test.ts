import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'
import type { ActivityEntry } from '@/api/types'
import { activityText, actorText, KNOWN_ACTIONS } from './activity'

const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })
const t = (k: string, p?: Record<string, unknown>) => i18n.global.t(k, p ?? {})

function entry(action: string, details: ActivityEntry['details'] = {}, actor: Partial<ActivityEntry['actor']> = {}): ActivityEntry {
  return {
    id: '1',
    seq: 1,
    at: '2026-01-01T00:00:00Z',
    action,
    kind: 'other',
    actor: { type: 'user', id: 'u', name: '王丽', ...actor },
    target_type: 'application',
    target_id: 'a',
    details,
  }
}

describe('activity text', () => {
  it('describes stage moves, decisions and scores with their facts', () => {
    expect(activityText(entry('application.stage_changed', { from: 'hr_review', to: 'second_round' }), t)).toBe('阶段：HR复核 → 复试')
    expect(activityText(entry('application.decision', { decision: 'approve', from: 'hr_review', to: 'second_round' }), t)).toBe('批准进入下一轮')
    expect(activityText(entry('application.decision', { decision: 'decline' }), t)).toBe('决定不予录用')
    expect(activityText(entry('interview.scored', { overall: 82.46 }), t)).toBe('AI 评分完成：82.5 分')
  })

  it('has a message for every known action in both languages, and a fallback', () => {
    for (const a of KNOWN_ACTIONS) {
      expect(activityText(entry(a), t)).not.toMatch(/activity\./)
      i18n.global.locale.value = 'en'
      expect(activityText(entry(a), t)).not.toMatch(/activity\./)
      i18n.global.locale.value = 'zh-CN'
    }
    expect(activityText(entry('something.new'), t)).toBe('其他操作（something.new）')
  })

  it('names the actor, or its kind', () => {
    expect(actorText(entry('x'), t)).toBe('王丽')
    expect(actorText(entry('x', {}, { type: 'candidate', name: null }), t)).toBe('候选人')
    expect(actorText(entry('x', {}, { type: 'system', name: null }), t)).toBe('系统')
  })
})
