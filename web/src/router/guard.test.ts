import { describe, expect, it } from 'vitest'
import { guardDecision, routes } from './index'
import type { RouteMeta } from 'vue-router'

const to = (meta: RouteMeta, name = 'x', fullPath = '/x') => ({ meta, name, fullPath })
const hr = { signedIn: true, role: 'hr' as const, permissions: ['applications:read', 'applications:write', 'jobs:read'] }
const auditor = { signedIn: true, role: 'auditor' as const, permissions: ['audit:read', 'jobs:read'] }

describe('guardDecision', () => {
  it('lets anyone open public pages (candidate portal)', () => {
    expect(guardDecision(to({ public: true }), { signedIn: false, role: null, permissions: [] })).toBeNull()
  })

  it('sends signed-out users to sign in, remembering where they wanted to go', () => {
    expect(guardDecision(to({}, 'application', '/applications/1'), { signedIn: false, role: null, permissions: [] })).toEqual({
      name: 'login',
      query: { redirect: '/applications/1' },
    })
  })

  it('refuses a page without its permission or role', () => {
    expect(guardDecision(to({ permission: 'applications:read' }), auditor)).toEqual({ name: 'forbidden' })
    expect(guardDecision(to({ permission: 'audit:read', roles: ['admin', 'auditor'] }), hr)).toEqual({ name: 'forbidden' })
    expect(guardDecision(to({ permission: 'audit:read', roles: ['admin', 'auditor'] }), auditor)).toBeNull()
    expect(guardDecision(to({ permission: 'applications:read' }), hr)).toBeNull()
  })

  it('guards the automation and integration pages by the permissions the server checks', () => {
    const staff = routes.find((r) => r.path === '/')?.children ?? []
    const meta = (name: string) => staff.find((r) => r.name === name)?.meta ?? {}
    const role = (permissions: string[]) => ({ signedIn: true, role: 'hr' as const, permissions })
    const HR = role(['jobs:read', 'jobs:write', 'questions:read', 'questions:write', 'pii:read', 'templates:manage'])
    const AUDITOR = role(['audit:read', 'jobs:read', 'questions:read', 'queue:read'])
    const allowed = (name: string, s: ReturnType<typeof role>) => guardDecision(to(meta(name), name), s) === null
    expect(['automation-rules', 'message-templates', 'question-models'].every((n) => allowed(n, HR))).toBe(true)
    expect(['background-jobs', 'notification-channels', 'webhooks'].some((n) => allowed(n, HR))).toBe(false)
    expect(['automation-rules', 'background-jobs', 'question-models'].every((n) => allowed(n, AUDITOR))).toBe(true)
    expect(['message-templates', 'notification-channels', 'webhooks'].some((n) => allowed(n, AUDITOR))).toBe(false)
  })

  it('opens the talent pool to whoever may read applications (GET /talent-pool: applications:read)', () => {
    const staff = routes.find((r) => r.path === '/')?.children ?? []
    const pool = staff.find((r) => r.name === 'talent-pool')
    expect(pool?.path).toBe('talent-pool')
    const meta = pool?.meta ?? {}
    expect(guardDecision(to(meta, 'talent-pool'), hr)).toBeNull()
    expect(guardDecision(to(meta, 'talent-pool'), auditor)).toEqual({ name: 'forbidden' })
  })

  it('routes the invitation link path the server generates', () => {
    const r = routes.find((x) => x.name === 'interview')
    expect(r?.path).toBe('/interview/:token')
    expect(r?.meta?.public).toBe(true)
  })
})
