import { describe, expect, it } from 'vitest'
import type { AutomationRule } from '@/api/types'
import { cleanAction, emptyRuleForm, errorsUnder, fieldErrors, formToInput, newAction, ruleToForm, unplacedErrors } from './automation'

const rule: AutomationRule = {
  id: 'R1',
  job_id: null,
  name: '高分进入复试',
  enabled: true,
  position: 10,
  trigger: { type: 'interview_completed' },
  conditions: { overall: { gte: 80 }, dimensions: [{ key: 'communication', gte: 70, lt: 90 }], flags_none: ['too_short'], stages: ['interview_completed'] },
  actions: [
    { type: 'move_stage', stage: 'second_round' },
    { type: 'notify', channel: 'email', to: 'candidate', template: 'next_round_invitation' },
  ],
  created_by: 'system',
  created_at: '',
  updated_at: '',
}

describe('automation rule form', () => {
  it('round-trips a rule through the form unchanged', () => {
    const input = formToInput(ruleToForm(rule))
    expect(input).toEqual({
      name: rule.name,
      enabled: true,
      position: 10,
      trigger: rule.trigger,
      conditions: rule.conditions,
      actions: rule.actions,
    })
  })

  it('leaves out empty conditions and bounds, keeps impossible ranges for the server to refuse', () => {
    const f = emptyRuleForm()
    f.name = '  x  '
    f.stages = []
    f.overall = { gte: 90, lt: 70 }
    f.dimensions = [{ key: '', gte: null, lt: null }, { key: 'teamwork', gte: null, lt: 60 }]
    const input = formToInput(f)
    expect(input.name).toBe('x')
    expect(input.conditions).toEqual({ overall: { gte: 90, lt: 70 }, dimensions: [{ key: 'teamwork', lt: 60 }] })
    expect(input).not.toHaveProperty('position')
  })

  it('sends only the trigger fields of its type', () => {
    const f = emptyRuleForm()
    f.trigger = { type: 'interview_completed', stage: 'hr_review', days: 3 }
    expect(formToInput(f).trigger).toEqual({ type: 'interview_completed' })
    f.trigger = { type: 'stage_entered', stage: 'hr_review', days: 3 }
    expect(formToInput(f).trigger).toEqual({ type: 'stage_entered', stage: 'hr_review' })
    f.trigger = { type: 'no_action', stage: 'hr_review', days: 3 }
    expect(formToInput(f).trigger).toEqual({ type: 'no_action', stage: 'hr_review', days: 3 })
  })

  it('strips fields an action type does not take (the server refuses unknown fields)', () => {
    expect(cleanAction({ type: 'move_stage', stage: 'offer', template: 'x', title: 'y' })).toEqual({ type: 'move_stage', stage: 'offer' })
    expect(cleanAction({ type: 'talent_pool', tag: '' })).toEqual({ type: 'talent_pool' })
    expect(newAction('notify')).toEqual({ type: 'notify', channel: 'email', to: 'candidate', template: '' })
  })
})

describe('server field errors', () => {
  const errs = fieldErrors([
    { field: 'conditions.overall', message: 'impossible: gte must be below lt' },
    { field: 'conditions.dimensions[0].key', message: "unknown dimension 'x'" },
    { field: 'actions[1].template', message: 'required' },
    { field: 'actions', message: 'at most one stage move' },
    { field: 'job_id', message: 'unknown job' },
  ])

  it('groups messages under the form field they belong to', () => {
    expect(errorsUnder(errs, 'conditions.overall')).toBe('impossible: gte must be below lt')
    expect(errorsUnder(errs, 'conditions.dimensions')).toBe("[0].key: unknown dimension 'x'")
    expect(errorsUnder(errs, 'actions[1]')).toBe('template: required')
    expect(errorsUnder(errs, 'actions[0]')).toBe('')
    expect(errorsUnder(errs, 'conditions.overal')).toBe('')
  })

  it('reports what no field shows', () => {
    expect(unplacedErrors(errs, ['conditions.overall', 'conditions.dimensions', 'actions'])).toBe('job_id: unknown job')
  })
})
