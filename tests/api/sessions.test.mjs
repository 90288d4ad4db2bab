// Sign-in, sessions, CSRF, lock-out, rate limit and the administrators' TOTP second factor
// (docs/api.md "Sessions" and "Authentication").
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'

import {
  assertError, assertStatus, forEachBackend, freshIdNumber, PASSWORD, totpCode, totpStep,
  url, waitForStepAfter,
} from './harness.mjs'

// Attributes of a Set-Cookie line, lower-cased names: {name, value, attrs: Map}.
function parseSetCookie(line) {
  const [pair, ...rest] = line.split(';').map((s) => s.trim())
  const eq = pair.indexOf('=')
  const attrs = new Map()
  for (const a of rest) {
    const i = a.indexOf('=')
    if (i < 0) attrs.set(a.toLowerCase(), true)
    else attrs.set(a.slice(0, i).toLowerCase(), a.slice(i + 1))
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs }
}

function sessionCookie(res) {
  const lines = [].concat(res.headers['set-cookie'] || [])
  const found = lines.map(parseSetCookie).filter((c) => c.name === 'jiandu_session')
  assert.equal(found.length, 1, `one jiandu_session cookie expected, got ${JSON.stringify(lines)}`)
  return found[0]
}

// A 6-digit code that is none of the codes valid around now (so it is surely wrong).
function wrongCode(secret) {
  const now = totpStep()
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, now + d)))
  for (let n = 123456; ; n = (n + 7919) % 1_000_000) {
    const code = String(n).padStart(6, '0')
    if (!valid.has(code)) return code
  }
}

const PERSON_BODY = () => ({ name: '柯雨', id_number: freshIdNumber('19790301'), org_id: 0 })

forEachBackend('sessions', (ctx) => {
  const t = {} // sessions shared by the tests of one backend

  test('an administrator must enrol TOTP before the session works', async () => {
    const c = ctx.server.client()
    const login = await c.login('secadmin')
    assertStatus(login, 200)
    assert.equal(login.json.stage, 'totp_enrollment_required')
    assert.equal(login.json.user.role, 'security_admin')
    // Until the stage is active only /auth/* answers.
    assertError(await c.get('/api/v1/people'), 401, 'unauthenticated')
    assertError(await c.get('/api/v1/users'), 401, 'unauthenticated')
    const s = await c.get('/api/v1/auth/session')
    assertStatus(s, 200)
    assert.equal(s.json.stage, 'totp_enrollment_required')

    const enrol = await c.post('/api/v1/auth/totp/enroll', {})
    assertStatus(enrol, 200)
    const { secret, otpauth_uri: uri } = enrol.json
    assert.match(secret, /^[A-Z2-7]{16,}$/)
    assert.ok(uri.startsWith('otpauth://totp/'), uri)
    const q = new URL(uri).searchParams
    assert.equal(q.get('secret'), secret)
    assert.equal(q.get('issuer'), 'Jiandu')

    assertError(await c.post('/api/v1/auth/totp/confirm', { code: wrongCode(secret) }),
      400, 'invalid_argument', 'code')
    assertError(await c.get('/api/v1/users'), 401, 'unauthenticated')

    const step = totpStep()
    const ok = await c.post('/api/v1/auth/totp/confirm', { code: totpCode(secret, step) })
    assertStatus(ok, 200)
    assert.equal(ok.json.stage, 'active')
    c.remember(ok)
    assertStatus(await c.get('/api/v1/users'), 200)
    t.secadmin = c
    ctx.server.totp.set('secadmin', { secret, lastStep: step })
  })

  test('login sets an HttpOnly SameSite=Strict cookie; logout ends the session', async () => {
    const c = ctx.server.client()
    const res = await c.login('congress')
    assertStatus(res, 200)
    const cookie = sessionCookie(res)
    assert.ok(cookie.value.length >= 32, 'the session token is long and random')
    assert.equal(cookie.attrs.get('httponly'), true)
    assert.equal(String(cookie.attrs.get('samesite')).toLowerCase(), 'strict')
    assert.equal(cookie.attrs.get('path'), '/')

    const s = res.json
    assert.equal(s.stage, 'active')
    assert.equal(s.user.username, 'congress')
    assert.equal(s.user.role, 'congress_officer')
    assert.equal(s.user.org.name, '郧西县')
    assert.match(s.user.org.path, /^\/(\d+\/)+$/)
    assert.ok(s.csrf_token.length >= 16)
    assert.ok(s.permissions.includes('person.write'))
    assert.match(s.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const left = Date.parse(s.expires_at) - Date.now()
    assert.ok(left > 25 * 60_000 && left <= 12 * 3600_000 + 60_000, `expires in ${left} ms`)

    const again = await c.get('/api/v1/auth/session')
    assertStatus(again, 200)
    assert.equal(again.json.user.username, 'congress')
    assert.equal(again.json.csrf_token, s.csrf_token)
    assertStatus(await c.get('/api/v1/people'), 200)

    const token = c.token
    const out = await c.post('/api/v1/auth/logout', {})
    assertStatus(out, 204)
    const cleared = sessionCookie(out)
    assert.equal(cleared.value, '')
    // The old token is dead on the server, not only forgotten by the client.
    const stale = ctx.server.client()
    stale.token = token
    assertError(await stale.get('/api/v1/auth/session'), 401, 'unauthenticated')
    assertError(await stale.get('/api/v1/people'), 401, 'unauthenticated')
  })

  test('a wrong password and an unknown user get the same 401', async () => {
    const c = ctx.server.client()
    const wrong = await c.login('congress', 'not-the-password')
    assertError(wrong, 401, 'unauthenticated')
    assert.equal(wrong.headers['set-cookie'], undefined)
    const unknown = await c.login('no-such-user', 'not-the-password')
    assertError(unknown, 401, 'unauthenticated')
    assert.deepEqual(unknown.json, wrong.json)
    // Nothing but the message: no hint which part was wrong.
    assert.equal(unknown.json.error.field, undefined)
  })

  test('five failed logins lock the account; a security admin unlocks it', async () => {
    const c = ctx.server.client() // one address: 7 attempts stay under the rate limit
    const unknown = await c.login('no-such-user-2', 'x')
    for (let i = 0; i < 5; i++) assertError(await c.login('analyst', `wrong-${i}`), 401)
    const locked = await c.login('analyst', PASSWORD)
    assertError(locked, 401, 'unauthenticated')
    assert.deepEqual(locked.json, unknown.json, 'a locked account looks like bad credentials')

    t.secadmin ??= await ctx.server.signIn('secadmin')
    const users = await t.secadmin.get(url('/api/v1/users', { limit: 200 }))
    assertStatus(users, 200)
    const analyst = users.json.items.find((u) => u.username === 'analyst')
    assert.ok(analyst.locked_until, 'the user list shows the lock')
    const unlocked = await t.secadmin.post(`/api/v1/users/${analyst.id}/unlock`, {})
    assertStatus(unlocked, 200)
    assert.equal(unlocked.json.locked_until, null)
    assertStatus(await c.login('analyst', PASSWORD), 200)
  })

  test('logins are rate-limited per client: 429 with Retry-After', async () => {
    const c = ctx.server.client()
    const answers = await Promise.all(Array.from({ length: 12 },
      (_, i) => c.login(`rate-probe-${i}`, 'x')))
    const limited = answers.filter((r) => r.status === 429)
    const refused = answers.filter((r) => r.status === 401)
    assert.equal(limited.length + refused.length, 12, answers.map((r) => r.status).join(','))
    assert.ok(refused.length >= 10 && refused.length <= 11, `${refused.length} attempts allowed`)
    for (const r of limited) {
      assertError(r, 429, 'resource_exhausted')
      assert.match(String(r.headers['retry-after']), /^[1-9]\d*$/)
    }
    // The right password does not get through either, from this client.
    const right = await c.login('viewer', PASSWORD)
    assertError(right, 429, 'resource_exhausted')
    assert.match(String(right.headers['retry-after']), /^[1-9]\d*$/)
    // Another client is not affected.
    assertStatus(await ctx.server.client().login('viewer', PASSWORD), 200)
  })

  test('a forged, garbage or tampered session cookie is 401', async () => {
    const real = await ctx.server.signIn('jiwei')
    const tampered = real.token.slice(0, -1) + (real.token.endsWith('0') ? '1' : '0')
    for (const token of ['garbage', 'a', randomBytes(32).toString('hex'),
      randomBytes(32).toString('base64url'), tampered, `${real.token}x`, '%00%ff']) {
      const c = ctx.server.client()
      c.token = token
      assertError(await c.get('/api/v1/people'), 401, 'unauthenticated')
      assertError(await c.get('/api/v1/auth/session'), 401, 'unauthenticated')
    }
    assertStatus(await real.get('/api/v1/people'), 200)
  })

  test('a write without the right X-CSRF-Token is 403 naming it, and writes nothing', async () => {
    const c = await ctx.server.signIn('congress')
    const orgs = await c.get('/api/v1/orgs')
    const body = { ...PERSON_BODY(), org_id: orgs.json.items[0].id }
    const other = await ctx.server.signIn('jiwei')
    for (const headers of [{}, { 'x-csrf-token': '' }, { 'x-csrf-token': 'nope' },
      { 'x-csrf-token': other.csrf }]) {
      const res = await c.post('/api/v1/people', body, { csrf: false, headers })
      assertError(res, 403, 'permission_denied', 'X-CSRF-Token')
    }
    const found = await c.get(url('/api/v1/people', { id_number: body.id_number }))
    assertStatus(found, 200)
    assert.deepEqual(found.json.items, [])
    // Logout is a write too: without the token the session survives.
    assertError(await c.post('/api/v1/auth/logout', {}, { csrf: false }), 403, 'permission_denied',
      'X-CSRF-Token')
    assertStatus(await c.get('/api/v1/auth/session'), 200)
    // Control: with the token the same body is accepted.
    assertStatus(await c.post('/api/v1/people', body), 201)
  })

  test('a later administrator sign-in needs a fresh TOTP code, usable once', async () => {
    if (!ctx.server.totp.has('secadmin')) await ctx.server.signIn('secadmin') // enrols
    const { secret, lastStep: enrolStep } = ctx.server.totp.get('secadmin')
    const c = ctx.server.client()
    const login = await c.login('secadmin')
    assertStatus(login, 200)
    assert.equal(login.json.stage, 'totp_required')
    assertError(await c.get('/api/v1/users'), 401, 'unauthenticated')
    assertError(await c.post('/api/v1/auth/totp', { code: wrongCode(secret) }),
      400, 'invalid_argument', 'code')
    // The code used for the enrolment cannot be replayed.
    assertError(await c.post('/api/v1/auth/totp', { code: totpCode(secret, enrolStep) }),
      400, 'invalid_argument', 'code')
    assertError(await c.get('/api/v1/users'), 401, 'unauthenticated')

    await waitForStepAfter(enrolStep)
    const code = totpCode(secret, totpStep())
    const ok = await c.post('/api/v1/auth/totp', { code })
    assertStatus(ok, 200)
    assert.equal(ok.json.stage, 'active')
    c.remember(ok)
    ctx.server.totp.get('secadmin').lastStep = totpStep()
    assertStatus(await c.get('/api/v1/users'), 200)

    // The same code on another sign-in within its step is refused.
    const d = ctx.server.client()
    assertStatus(await d.login('secadmin'), 200)
    assertError(await d.post('/api/v1/auth/totp', { code }), 400, 'invalid_argument', 'code')
    assertError(await d.get('/api/v1/users'), 401, 'unauthenticated')
  })
})
