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

  it('routes the invitation link path the server generates', () => {
    const r = routes.find((x) => x.name === 'interview')
    expect(r?.path).toBe('/interview/:token')
    expect(r?.meta?.public).toBe(true)
  })
})
