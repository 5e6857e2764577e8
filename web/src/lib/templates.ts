// The variables message templates may use (docs/openapi.yaml, createMessageTemplate); the server checks
// them at save time, this list only tells the writer what is there.
export const TEMPLATE_VARIABLES = [
  'candidate_name',
  'job_title',
  'organisation_name',
  'interview_link',
  'interview_deadline',
  'overall_score',
  'stage',
  'next_round_time',
  'next_round_location',
] as const

/** `{{name}}` as written in a template (built here: the braces would be markup in a Vue template). */
export function variableToken(name: string): string {
  return '{'.repeat(2) + name + '}'.repeat(2)
}
