import { describe, expect, it } from 'vitest'
import type { AnswerScore, Evidence } from '@/api/types'
import { evidenceSpans, featureLabel, markClass, visibleContributions } from './evidence'

const ev = (kind: string, begin: number, end: number, part: Evidence['part'] = 'answer'): Evidence => ({ kind, label: '', part, begin, end, text: '' })

const score: AnswerScore = {
  position: 0,
  question_id: 'q',
  answer_id: 'a',
  attempt: 1,
  follow_up_answer_id: null,
  dimensions: [
    {
      dimension_key: 'comm',
      score: 70,
      level: 4,
      level_anchor: '',
      components: { indicators: 1, star: 1, specificity: 1, relevance: 1, length: 1 },
      explanation_zh: '',
      explanation_en: '',
      indicators: [
        { key: 'listen', name: '倾听', name_en: 'Listens', from_key_point: false, found: true, evidence: [ev('indicator', 2, 4)] },
        { key: 'miss', name: '未命中', name_en: 'Missing', from_key_point: false, found: false, evidence: [ev('indicator', 0, 1)] },
      ],
    },
  ],
  star: { situation: true, task: false, action: true, result: false, evidence: [ev('star_action', 2, 6), ev('star_situation', 0, 2, 'follow_up')] },
  specifics: [ev('number', 8, 10)],
  flags: [
    { code: 'near_copy_answer', message_zh: '高度相似', message_en: 'near copy', evidence: [ev('copy', 0, 20)] },
    { code: 'teamwork_only_i', message_zh: '只说我', message_en: 'only I', evidence: [ev('first_person_singular', 12, 13)] },
  ],
  language: 'zh',
  length_chars: 20,
  empty: false,
  scorer: 'rubric',
  scorer_version: '1',
}

describe('evidenceSpans', () => {
  it('collects found indicators, STAR, specifics and flag evidence of one part, named in the UI language', () => {
    const label = (k: string) => ({ star_action: 'STAR · 行动', number: '具体数字' })[k] ?? k
    const spans = evidenceSpans(score, 'answer', { comm: { name: '沟通能力', name_en: 'Communication' } }, true, label)
    expect(spans.map((s) => [s.begin, s.end, s.data.cls, s.data.label])).toEqual([
      [2, 6, 'kind-star', 'STAR · 行动'],
      [2, 4, 'kind-indicator', '沟通能力 · 倾听'],
      [8, 10, 'kind-specific', '具体数字'],
      [12, 13, 'kind-flag', '只说我'],
    ])
  })

  it('takes the follow-up part separately and English names in English', () => {
    const spans = evidenceSpans(score, 'follow_up', { comm: { name: '沟通能力', name_en: 'Communication' } }, false, (k) => k)
    expect(spans.map((s) => s.data.label)).toEqual(['star_situation'])
  })

  it('is empty without a score', () => {
    expect(evidenceSpans(null, 'answer', {}, true, (k) => k)).toEqual([])
  })
})

describe('markClass', () => {
  it('shows the most specific kind where spans overlap', () => {
    expect(markClass([{ label: '', cls: 'kind-flag' }, { label: '', cls: 'kind-indicator' }])).toBe('kind-indicator')
    expect(markClass([{ label: '', cls: 'kind-specific' }, { label: '', cls: 'kind-star' }])).toBe('kind-star')
  })
})

describe('supervised model evidence', () => {
  it('highlights where the model features occur, labelled with the feature', () => {
    const d = score.dimensions[0]
    const withModel: AnswerScore = {
      ...score,
      star: { ...score.star, evidence: [] },
      specifics: [],
      flags: [],
      dimensions: [
        {
          ...d,
          indicators: [],
          scorer: 'supervised',
          model: {
            model_id: 'm',
            version: 2,
            dimension_key: null,
            expected_rating: 2.6,
            rating: 3,
            max_rating: 4,
            rubric_score: 61,
            contributions: [{ feature: 'word:复盘', effect: 0.42, evidence: [ev('model_feature', 5, 7), ev('model_feature', 1, 2, 'follow_up')] }],
          },
        },
      ],
    }
    const spans = evidenceSpans(withModel, 'answer', {}, true, (k) => (k === 'model_feature' ? '模型特征词' : k))
    expect(spans).toEqual([{ begin: 5, end: 7, data: { label: '模型特征词 · 「复盘」', cls: 'kind-model' } }])
  })
})

describe('model features for people', () => {
  it('quotes n-gram features and hides effects that round to zero', () => {
    expect(featureLabel('char:提升到')).toBe('「提升到」')
    expect(featureLabel('distinct_words')).toBe('distinct_words')
    expect(visibleContributions([{ effect: 0.33 }, { effect: 0.004 }, { effect: -0.02 }])).toEqual([{ effect: 0.33 }, { effect: -0.02 }])
  })
})
