// The one place that talks HTTP. Staff requests use the session cookie (same origin) and send the CSRF
// token from the login / me response with every unsafe method. Every failure becomes an ApiError with the
// server's `{"error": {code, message, details}}`, or a synthetic code for network and parse failures.
import type { ErrorBody, ErrorDetail } from './types'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: ErrorDetail[]
  readonly requestId: string | null

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], requestId: string | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    this.requestId = requestId
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

let csrfToken = ''
let onUnauthenticated: (() => void) | null = null

export function setCsrfToken(token: string): void {
  csrfToken = token
}

export function getCsrfToken(): string {
  return csrfToken
}

/** Called when a staff request answers 401 (session expired); the router sends the user to sign in. */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn
}

/** Query parameters; an array repeats the parameter (`dim=a:80&dim=b:70`). */
export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>

export interface RequestOptions {
  query?: Query
  body?: unknown
  signal?: AbortSignal
  /** Keep the request alive when the page unloads (integrity events). */
  keepalive?: boolean
  /** Candidate routes: a 401 there means nothing about a staff session. */
  anonymous?: boolean
  /** A body sent as is (e.g. a CSV file) with this content type, instead of JSON. */
  raw?: { contentType: string; data: string }
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) for (const item of v as readonly string[]) params.append(k, item)
    else params.append(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

/** `?a=1&b=2` for a query (empty string when nothing is set). */
export function queryString(query: Query): string {
  return buildUrl('', query)
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false
  const e = (v as { error: unknown }).error
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: opts.signal, keepalive: opts.keepalive }
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType
    init.body = opts.raw.data
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  if (UNSAFE.has(method) && csrfToken && !opts.anonymous) headers['X-CSRF-Token'] = csrfToken
  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), init)
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e))
  }
  const requestId = res.headers.get('X-Request-Id')
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      if (res.ok) throw new ApiError(res.status, 'bad_response', 'The server answered something that is not JSON.', [], requestId)
    }
  }
  if (res.ok) return data as T
  if (res.status === 401 && !opts.anonymous && onUnauthenticated) onUnauthenticated()
  if (isErrorBody(data)) {
    const e = data.error
    throw new ApiError(res.status, e.code, e.message, Array.isArray(e.details) ? e.details : [], requestId)
  }
  throw new ApiError(res.status, res.status >= 500 ? 'internal' : 'http_' + res.status, text.slice(0, 200) || res.statusText, [], requestId)
}

export const http = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query'> = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
}
