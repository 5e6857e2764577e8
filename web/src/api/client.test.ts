import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, buildUrl, http, setCsrfToken, setUnauthenticatedHandler } from './client'
import { describeError } from './errors'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken('')
  setUnauthenticatedHandler(null)
})

describe('request', () => {
  it('sends the CSRF token on unsafe methods only, and JSON bodies', async () => {
    const fetchMock = vi.fn().mockImplementation(() => Promise.resolve(jsonResponse(200, { ok: 1 })))
    vi.stubGlobal('fetch', fetchMock)
    setCsrfToken('tok123')
    await http.get('/api/v1/jobs', { limit: 5, q: '', status: undefined })
    await http.post('/api/v1/jobs', { title: '销售经理' })
    const [url1, init1] = fetchMock.mock.calls[0]
    expect(url1).toBe('/api/v1/jobs?limit=5')
    expect(init1.headers['X-CSRF-Token']).toBeUndefined()
    expect(init1.credentials).toBe('same-origin')
    const [, init2] = fetchMock.mock.calls[1]
    expect(init2.method).toBe('POST')
    expect(init2.headers['X-CSRF-Token']).toBe('tok123')
    expect(init2.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(init2.body)).toEqual({ title: '销售经理' })
  })

  it('does not send the staff CSRF token on anonymous (candidate) calls', async () => {
    const fetchMock = vi.fn().mockResolvedValue(new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetchMock)
    setCsrfToken('tok123')
    const r = await http.put('/api/v1/interview/x/questions/0/draft', { text: 'a' }, { anonymous: true })
    expect(r).toBeUndefined()
    expect(fetchMock.mock.calls[0][1].headers['X-CSRF-Token']).toBeUndefined()
  })

  it('turns the error body into an ApiError with code, details and request id', async () => {
    const body = { error: { code: 'validation_failed', message: 'invalid job', details: [{ field: 'title', message: 'must not be empty' }] } }
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse(400, body, { 'X-Request-Id': 'req-1' })))
    const e = await http.post('/api/v1/jobs', {}).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    const a = e as ApiError
    expect([a.status, a.code, a.message, a.requestId]).toEqual([400, 'validation_failed', 'invalid job', 'req-1'])
    expect(a.details).toEqual([{ field: 'title', message: 'must not be empty' }])
  })

  it('maps network failures and non-JSON errors to synthetic codes', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    expect(((await http.get('/x').catch((x: unknown) => x)) as ApiError).code).toBe('network')
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>bad gateway</html>', { status: 502 })))
    const e = (await http.get('/x').catch((x: unknown) => x)) as ApiError
    expect([e.status, e.code]).toEqual([502, 'internal'])
  })

  it('calls the unauthenticated handler on a staff 401 but not on a candidate 401', async () => {
    const handler = vi.fn()
    setUnauthenticatedHandler(handler)
    vi.stubGlobal('fetch', vi.fn().mockImplementation(() => Promise.resolve(jsonResponse(401, { error: { code: 'unauthenticated', message: 'x' } }))))
    await http.get('/api/v1/jobs').catch(() => undefined)
    await http.get('/api/v1/interview/t', undefined, { anonymous: true }).catch(() => undefined)
    expect(handler).toHaveBeenCalledTimes(1)
  })
})

describe('buildUrl', () => {
  it('drops empty values and encodes the rest', () => {
    expect(buildUrl('/a', { q: '销售 经理', x: null, y: '', n: 0 })).toBe('/a?q=%E9%94%80%E5%94%AE+%E7%BB%8F%E7%90%86&n=0')
  })

  it('repeats a parameter for each item of an array (per-dimension thresholds)', () => {
    expect(buildUrl('/a', { dim: ['communication:80', 'teamwork:60'], job_id: 'J' })).toBe('/a?dim=communication%3A80&dim=teamwork%3A60&job_id=J')
    expect(buildUrl('/a', { dim: [] })).toBe('/a')
  })
})

describe('describeError', () => {
  const tr = (messages: unknown) => {
    const get = (k: string) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], messages)
    const t = (k: string, p?: Record<string, unknown>) => String(get(k)).replace(/\{(\w+)\}/g, (_, n: string) => String(p?.[n] ?? ''))
    const te = (k: string) => typeof get(k) === 'string'
    return { t, te }
  }

  it('shows a known code in the user language', () => {
    const { t, te } = tr(zhCN)
    expect(describeError(new ApiError(401, 'invalid_credentials', 'wrong e-mail or password'), t, te)).toBe('邮箱或密码不正确，或账号已停用。')
    const e = tr(en)
    expect(describeError(new ApiError(409, 'reanswer_limit_reached', 'no'), e.t, e.te)).toBe('You have used all your attempts for this question.')
  })

  it('appends field details of a validation failure', () => {
    const { t, te } = tr(zhCN)
    const err = new ApiError(400, 'validation_failed', 'invalid', [{ field: 'dimensions[1].weight', message: 'weights must sum to 100' }])
    expect(describeError(err, t, te)).toBe('填写的内容有误，请检查后再提交 (dimensions[1].weight: weights must sum to 100)')
  })

  it('falls back to status and server message for an unknown code, and handles plain errors', () => {
    const { t, te } = tr(en)
    expect(describeError(new ApiError(418, 'teapot', 'I am a teapot'), t, te)).toBe('Request failed (418): I am a teapot')
    expect(describeError(new Error('boom'), t, te)).toBe('Unexpected error: boom')
  })

  it('has a translation for every error code the API documents', () => {
    const codes = [
      'validation_failed', 'invalid_json', 'unauthenticated', 'invalid_credentials', 'forbidden', 'csrf_failed', 'not_found',
      'method_not_allowed', 'conflict', 'duplicate_candidate', 'duplicate_application', 'in_use', 'payload_too_large',
      'unsupported_media_type', 'too_many_requests', 'internal', 'unavailable', 'interview_exists', 'plan_missing',
      'interview_finished', 'interview_revoked', 'not_finished', 'consent_required', 'not_current_question',
      'reanswer_limit_reached', 'no_follow_up', 'follow_up_answered', 'report_not_released', 'review_already_requested', 'task_done',
    ]
    expect(codes.filter((c) => !(c in zhCN.errors.code))).toEqual([])
  })
})
