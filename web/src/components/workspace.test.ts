import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'
import DecisionCard from './application/DecisionCard.vue'
import { setCsrfToken } from '@/api/client'

function i18n() {
  return createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })
}

afterEach(() => vi.unstubAllGlobals())

describe('DecisionCard', () => {
  it('refuses to decline without a reason, then sends the decision with the comment', async () => {
    const calls: { url: string; body: unknown }[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, body: JSON.parse(String(init.body)) })
        const app = { id: 'A1', stage: 'rejected' }
        return new Response(JSON.stringify({ decision: 'decline', application: app, comment: null }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        })
      }),
    )
    setCsrfToken('csrf')
    const w = mount(DecisionCard, { props: { applicationId: 'A1', candidateName: '赵**' }, global: { plugins: [i18n()] } })
    await w.find('[data-test=decline]').trigger('click')
    expect(w.text()).toContain('不予录用：赵**')
    await w.find('form').trigger('submit')
    expect(w.find('[role=alert]').text()).toBe('不予录用时请填写原因。')
    expect(calls).toHaveLength(0)

    await w.find('textarea').setValue('  经验不足。 ')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(calls).toEqual([{ url: '/api/v1/applications/A1/decision', body: { decision: 'decline', comment: '经验不足。' } }])
    expect(w.emitted('decided')?.[0]?.[0]).toMatchObject({ decision: 'decline', application: { stage: 'rejected' } })
    expect(w.find('form').exists()).toBe(false)
  })

  it('approves without a comment', async () => {
    const bodies: unknown[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        bodies.push(JSON.parse(String(init.body)))
        return new Response(JSON.stringify({ decision: 'approve', application: { id: 'A1', stage: 'second_round' }, comment: null }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        })
      }),
    )
    const w = mount(DecisionCard, { props: { applicationId: 'A1', candidateName: '赵**' }, global: { plugins: [i18n()] } })
    await w.find('[data-test=approve]').trigger('click')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(bodies).toEqual([{ decision: 'approve' }])
  })
})
