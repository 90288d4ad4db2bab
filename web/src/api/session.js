// Session state shared by the whole app (GET /api/v1/auth/session and friends).
import { reactive } from 'vue'
import { api, setCsrfToken } from './client.js'
import { allows } from '../lib/permissions.js'

export const session = reactive({
  loaded: false,
  stage: null, // active | totp_required | totp_enrollment_required | null (no session)
  user: null,
  permissions: [],
  expiresAt: null,
})

export function applySession(s) {
  session.loaded = true
  if (!s) {
    session.stage = null
    session.user = null
    session.permissions = []
    session.expiresAt = null
    setCsrfToken(null)
    return
  }
  session.stage = s.stage || null
  session.user = s.user || null
  session.permissions = Array.isArray(s.permissions) ? s.permissions : []
  session.expiresAt = s.expires_at || null
  if (s.csrf_token) setCsrfToken(s.csrf_token)
}

export function can(need) {
  return allows(session.permissions, need)
}

export function isActive() {
  return session.stage === 'active'
}

/** Loads the session once (or again with force); never throws. */
export async function loadSession(force = false) {
  if (session.loaded && !force) return session
  try {
    applySession(await api.get('/auth/session'))
  } catch {
    applySession(null)
  }
  return session
}

export async function login(username, password) {
  const s = await api.post('/auth/login', { username, password })
  applySession(s)
  return s
}

export async function submitTotp(code) {
  const s = await api.post('/auth/totp', { code })
  applySession(s)
  return s
}

export async function enrollTotp() {
  return api.post('/auth/totp/enroll', {})
}

export async function confirmTotp(code) {
  const s = await api.post('/auth/totp/confirm', { code })
  applySession(s)
  return s
}

export async function logout() {
  try {
    await api.post('/auth/logout', {})
  } finally {
    applySession(null)
  }
}
