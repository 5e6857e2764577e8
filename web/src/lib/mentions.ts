// @mentions in application comments. The server resolves `@name` in the body itself when exactly one
// colleague has that name; the ids of colleagues picked from the autocomplete are sent as well, so that a
// name two colleagues share still reaches the one that was picked.
export interface Mentionable {
  id: string
  name: string
}

/** Ids of the picked colleagues whose `@name` is still in the body (in pick order, no repeats). */
export function mentionIds(body: string, picked: Mentionable[]): string[] {
  const out: string[] = []
  for (const u of picked) if (body.includes('@' + u.name) && !out.includes(u.id)) out.push(u.id)
  return out
}

export interface BodyPart {
  text: string
  mention: boolean
}

/** Splits a comment into plain text and `@name` runs of its mentioned names (longest name first). */
export function splitMentions(body: string, names: string[]): BodyPart[] {
  const sorted = [...new Set(names.filter(Boolean))].sort((a, b) => b.length - a.length)
  const parts: BodyPart[] = []
  let plain = ''
  let i = 0
  outer: while (i < body.length) {
    if (body[i] === '@') {
      for (const n of sorted) {
        if (body.startsWith(n, i + 1)) {
          if (plain) parts.push({ text: plain, mention: false })
          plain = ''
          parts.push({ text: '@' + n, mention: true })
          i += n.length + 1
          continue outer
        }
      }
    }
    plain += body[i]
    i++
  }
  if (plain) parts.push({ text: plain, mention: false })
  return parts
}
