// The automation-rule editor's form model and its mapping to the API (AutomationRuleInput), and the
// server's field errors (`conditions.dimensions[0].gte`) grouped by the form field they belong to.
import type {
  AutomationAction,
  AutomationConditions,
  AutomationRule,
  AutomationRuleInput,
  ErrorDetail,
  FlagKind,
  Stage,
  TriggerType,
} from '@/api/types'

export interface RangeForm {
  gte: number | null
  lt: number | null
}

export interface RuleForm {
  name: string
  enabled: boolean
  position: number | null
  trigger: { type: TriggerType; stage: Stage | ''; days: number | null }
  overall: RangeForm
  dimensions: ({ key: string } & RangeForm)[]
  flagsAny: FlagKind[]
  flagsNone: FlagKind[]
  stages: Stage[]
  actions: AutomationAction[]
}

export function emptyRuleForm(): RuleForm {
  return {
    name: '',
    enabled: true,
    position: null,
    trigger: { type: 'interview_completed', stage: '', days: null },
    overall: { gte: null, lt: null },
    dimensions: [],
    flagsAny: [],
    flagsNone: [],
    stages: ['interview_completed'],
    actions: [{ type: 'create_task', kind: 'human_review', title: '' }],
  }
}

/** A blank action of the type with the fields the server requires (and its defaults). */
export function newAction(type: AutomationAction['type']): AutomationAction {
  switch (type) {
    case 'move_stage':
      return { type, stage: 'hr_review' }
    case 'notify':
      return { type, channel: 'email', to: 'candidate', template: '' }
    case 'talent_pool':
      return { type, tag: '' }
    case 'create_task':
      return { type, kind: 'human_review', title: '' }
  }
}

const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function range(r: { gte?: number; lt?: number } | undefined): RangeForm {
  return { gte: num(r?.gte), lt: num(r?.lt) }
}

export function ruleToForm(r: AutomationRule): RuleForm {
  const c = r.conditions ?? {}
  return {
    name: r.name,
    enabled: r.enabled,
    position: r.position,
    trigger: { type: r.trigger.type, stage: r.trigger.stage ?? '', days: r.trigger.days ?? null },
    overall: range(c.overall),
    dimensions: (c.dimensions ?? []).map((d) => ({ key: d.key, ...range(d) })),
    flagsAny: [...(c.flags_any ?? [])],
    flagsNone: [...(c.flags_none ?? [])],
    stages: [...(c.stages ?? [])],
    actions: r.actions.map((a) => ({ ...a })),
  }
}

function rangeOut(r: RangeForm): { gte?: number; lt?: number } {
  const out: { gte?: number; lt?: number } = {}
  if (num(r.gte) !== null) out.gte = r.gte as number
  if (num(r.lt) !== null) out.lt = r.lt as number
  return out
}

/** Only the fields an action type takes: the server refuses unknown ones. */
export function cleanAction(a: AutomationAction): AutomationAction {
  switch (a.type) {
    case 'move_stage':
      return { type: a.type, stage: a.stage }
    case 'notify':
      return { type: a.type, channel: a.channel, to: a.to, template: a.template ?? '' }
    case 'talent_pool':
      return a.tag ? { type: a.type, tag: a.tag } : { type: a.type }
    case 'create_task':
      return { type: a.type, kind: a.kind, title: a.title ?? '' }
  }
}

/**
 * The body of a create or patch. Empty conditions are left out; a range with neither bound is left out;
 * a range the server will find impossible (gte >= lt) is sent as is, so that its message appears at the field.
 */
export function formToInput(f: RuleForm): Omit<AutomationRuleInput, 'job_id'> {
  const trigger: AutomationRuleInput['trigger'] = { type: f.trigger.type }
  if (f.trigger.type !== 'interview_completed' && f.trigger.stage) trigger.stage = f.trigger.stage
  if (f.trigger.type === 'no_action' && f.trigger.days !== null) trigger.days = f.trigger.days
  const conditions: AutomationConditions = {}
  const overall = rangeOut(f.overall)
  if (Object.keys(overall).length) conditions.overall = overall
  const dims = f.dimensions.filter((d) => d.key || num(d.gte) !== null || num(d.lt) !== null).map((d) => ({ key: d.key, ...rangeOut(d) }))
  if (dims.length) conditions.dimensions = dims
  if (f.flagsAny.length) conditions.flags_any = [...f.flagsAny]
  if (f.flagsNone.length) conditions.flags_none = [...f.flagsNone]
  if (f.stages.length) conditions.stages = [...f.stages]
  const out: Omit<AutomationRuleInput, 'job_id'> = {
    name: f.name.trim(),
    enabled: f.enabled,
    trigger,
    conditions,
    actions: f.actions.map(cleanAction),
  }
  if (f.position !== null) out.position = f.position
  return out
}

/** The server's details by field path. */
export function fieldErrors(details: readonly ErrorDetail[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const d of details) {
    const field = d.field ?? ''
    ;(out[field] ??= []).push(String(d.message ?? ''))
  }
  return out
}

/**
 * The messages for a form field and everything below it: `conditions.overall` also collects
 * `conditions.overall.gte`; `actions[1]` collects `actions[1].stage`. Each message names its sub-field.
 */
export function errorsUnder(errs: Record<string, string[]>, prefix: string): string {
  const parts: string[] = []
  for (const [field, msgs] of Object.entries(errs)) {
    if (field === prefix) parts.push(...msgs)
    else if (field.startsWith(prefix + '.') || field.startsWith(prefix + '[')) {
      const rest = field.slice(prefix.length).replace(/^\./, '')
      parts.push(...msgs.map((m) => `${rest}: ${m}`))
    }
  }
  return parts.join('; ')
}

/** The fields of `errs` no form field shows (`known` are the prefixes the form shows), for a general alert. */
export function unplacedErrors(errs: Record<string, string[]>, known: readonly string[]): string {
  const parts: string[] = []
  for (const [field, msgs] of Object.entries(errs)) {
    const placed = known.some((p) => field === p || field.startsWith(p + '.') || field.startsWith(p + '['))
    if (!placed) parts.push(...msgs.map((m) => (field ? `${field}: ${m}` : m)))
  }
  return parts.join('; ')
}
