// The one place that talks HTTP to the Jiandu server (docs/api.md).
import { parseRetryAfter } from '../lib/format.js'

export const API_BASE = '/api/v1'

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const e = (body && body.error) || {}
    super(e.message || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = e.code || codeForStatus(status)
    this.serverMessage = e.message || ''
    this.field = e.field || null
    this.retryAfter = retryAfter
  }
}

export function codeForStatus(status) {
  if (status === 0) return 'network'
  if (status === 400 || status === 413 || status === 415) return 'invalid_argument'
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'permission_denied'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 429) return 'rate_limited'
  if (status === 503) return 'unavailable'
  return 'internal'
}

let csrfToken = null
let onUnauthenticated = null

export function setCsrfToken(token) {
  csrfToken = token || null
}

/** Called (once per 401) for requests outside /auth/*: the app goes to the login page. */
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

export function buildQuery(params) {
  if (!params) return ''
  const parts = []
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

export async function request(method, path, { body, query, raw, contentType } = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin' }
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken
    if (raw !== undefined) {
      // a file upload: the bytes as they are, with the file's own type
      headers['Content-Type'] = contentType || 'application/octet-stream'
      init.body = raw
    } else {
      headers['Content-Type'] = 'application/json'
      init.body = JSON.stringify(body === undefined ? {} : body)
    }
  }
  let res
  try {
    res = await fetch(API_BASE + path + buildQuery(query), init)
  } catch (e) {
    const err = new ApiError(0, { error: { code: 'network', message: '' } })
    err.cause = e
    throw err
  }
  let data = null
  if (res.status !== 204) {
    const text = await res.text()
    if (text) {
      try {
        data = JSON.parse(text)
      } catch {
        data = null
      }
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data, parseRetryAfter(res.headers.get('Retry-After')))
    if (res.status === 401 && !path.startsWith('/auth/') && onUnauthenticated) onUnauthenticated(err)
    throw err
  }
  return data
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body) => request('POST', path, { body }),
  patch: (path, body) => request('PATCH', path, { body }),
  put: (path, body) => request('PUT', path, { body }),
  /** POST a file's bytes (Blob/File) with its Content-Type; `query` for e.g. ?name=. */
  upload: (path, file, contentType, query) => request('POST', path, { raw: file, contentType, query }),
}
