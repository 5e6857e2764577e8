import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'
import HighlightedText from './HighlightedText.vue'
import WelcomePanel from './candidate/WelcomePanel.vue'
import type { CandidateOverview } from '@/api/types'

function i18n(locale: 'zh-CN' | 'en' = 'zh-CN') {
  return createI18n({ legacy: false, locale, fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })
}

describe('HighlightedText', () => {
  it('marks exactly the code-point span, after an emoji, with the most specific kind and all labels', () => {
    const w = mount(HighlightedText, {
      props: {
        text: '👍我带领团队完成了目标',
        spans: [
          { begin: 2, end: 4, data: { label: '团队协作 · 带领团队', cls: 'kind-indicator' } },
          { begin: 2, end: 6, data: { label: 'STAR · 行动', cls: 'kind-star' } },
        ],
      },
    })
    const marks = w.findAll('mark')
    expect(marks.map((m) => m.text())).toEqual(['带领', '团队'])
    expect(marks[0].classes()).toContain('kind-indicator')
    expect(marks[0].attributes('title')).toBe('团队协作 · 带领团队 / STAR · 行动')
    expect(marks[1].classes()).toContain('kind-star')
    expect(w.text()).toBe('👍我带领团队完成了目标')
  })
})

const overview: CandidateOverview = {
  status: 'invited',
  organisation: '星海科技集团',
  job_title: '销售经理',
  expires_at: '2026-12-01T00:00:00Z',
  server_time: '2026-11-22T00:00:00Z',
  sections: [{ key: 'intro', title: '自我介绍', question_count: 1 }],
  question_count: 1,
  time_limits: { think_seconds_total: 30, answer_seconds_total: 180, per_question: [] },
  dimensions: [
    { key: 'a', name: '沟通能力', name_en: 'Communication', weight: 40, description: '清晰表达', indicators: [{ name: '倾听', name_en: 'Listens' }] },
    { key: 'b', name: '团队协作', name_en: 'Teamwork', weight: 60, description: '协作', indicators: [] },
  ],
  how_assessed: { zh: '按维度评分', en: 'Scored by dimension' },
  reanswer_limit: 1,
  feedback_enabled: true,
  follow_ups_enabled: true,
  answer_modes: ['text'],
  audio_video_analysis: false,
  data_use: { version: '2026-11-v1', text_zh: '仅用于评估', text_en: 'Only for the assessment', retention_days: 365 },
  consent: { given: false, at: null, version: null, audio_video_analysis: false },
  progress: { current_position: 0, answered: 0, finished: false },
  report_available: false,
}

describe('WelcomePanel', () => {
  it('lists the dimensions by weight and refuses to start before consent', async () => {
    const w = mount(WelcomePanel, { props: { overview, busy: false }, global: { plugins: [i18n()] } })
    expect(w.findAll('[data-test=dimension] strong').map((x) => x.text())).toEqual(['团队协作', '沟通能力'])
    expect(w.text()).toContain('权重 60%')
    expect(w.find('[data-test=audio-video]').text()).toContain('只分析文字回答')
    await w.find('[data-test=start]').trigger('click')
    expect(w.emitted('consent')).toBeUndefined()
    expect(w.find('[role=alert]').text()).toBe('请先勾选同意')
    await w.find('[data-test=consent-checkbox] input').setValue(true)
    await w.find('[data-test=start]').trigger('click')
    expect(w.emitted('consent')).toEqual([[false]])
  })

  it('speaks English when the UI is in English', () => {
    const w = mount(WelcomePanel, { props: { overview, busy: false }, global: { plugins: [i18n('en')] } })
    expect(w.find('h1').text()).toBe('Welcome to the AI interview of 星海科技集团')
    expect(w.findAll('[data-test=dimension] strong').map((x) => x.text())).toEqual(['Teamwork', 'Communication'])
    expect(w.find('[data-test=data-use]').text()).toBe('Only for the assessment')
  })
})
