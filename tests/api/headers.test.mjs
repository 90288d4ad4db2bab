// Security headers on every kind of answer, and the caching rules of the API and the web UI:
// API answers are never cached; hashed assets under /assets/ are immutable; index.html is
// revalidated every time.
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { assertStatus, forEachBackend } from './harness.mjs'

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist')
const HAVE_WEB = existsSync(resolve(DIST, 'index.html'))

// Content-Security-Policy → Map of directive → list of sources.
function parseCsp(value) {
  const m = new Map()
  for (const part of value.split(';').map((s) => s.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/)
    m.set(name.toLowerCase(), sources)
  }
  return m
}

function assertStrictCsp(res, where) {
  const value = res.headers['content-security-policy']
  assert.ok(value, `${where}: no Content-Security-Policy`)
  const csp = parseCsp(value)
  assert.ok(csp.has('default-src'), `${where}: no default-src`)
  for (const d of ['default-src', 'script-src', 'style-src', 'object-src', 'connect-src']) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:']) {
      assert.ok(!(csp.get(d) || []).includes(bad), `${where}: ${d} allows ${bad}: ${value}`)
    }
  }
  const script = csp.get('script-src') || csp.get('default-src')
  assert.ok(!script.includes('data:'), `${where}: scripts from data: URLs`)
  assert.deepEqual(csp.get('object-src'), ["'none'"], `${where}: object-src`)
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${where}: frame-ancestors`)
}

function assertCommon(res, where) {
  assertStrictCsp(res, where)
  assert.equal(res.headers['x-content-type-options'], 'nosniff', where)
  assert.equal(res.headers['x-frame-options'], 'DENY', where)
}

forEachBackend('security headers', (ctx) => {
  test('API answers of every kind: strict CSP, nosniff, DENY, no-store', async () => {
    const anon = ctx.server.client()
    const congress = await ctx.server.signIn('congress')
    const answers = {
      'healthz': await anon.get('/healthz'),
      'openapi': await anon.get('/api/v1/openapi.json'),
      'list': await congress.get('/api/v1/people'),
      '401': await anon.get('/api/v1/people'),
      '403': await congress.get('/api/v1/users'),
      '404 record': await congress.get('/api/v1/people/99999999'),
      '404 route': await anon.get('/api/v1/nothing-here'),
      '400': await congress.get('/api/v1/people?limit=0'),
      '405': await anon.request('DELETE', '/api/v1/people'),
      'write': await congress.post('/api/v1/people', {}),
    }
    assertStatus(answers.list, 200)
    for (const [where, res] of Object.entries(answers)) {
      assertCommon(res, where)
      assert.match(String(res.headers['cache-control']), /\bno-store\b/, `${where}: Cache-Control`)
    }
    // Personal data never sits in a shared cache: the list answer says so explicitly.
    assert.doesNotMatch(String(answers.list.headers['cache-control']), /public|max-age=[1-9]/)
  })

  test('web UI: index.html is no-cache, hashed assets are immutable', { skip: !HAVE_WEB &&
    'web/dist is not built' }, async () => {
    const c = ctx.server.client()
    const index = await c.get('/')
    assertStatus(index, 200)
    assert.match(index.headers['content-type'], /^text\/html/)
    assertCommon(index, 'index.html')
    const cc = String(index.headers['cache-control'])
    assert.match(cc, /\bno-cache\b|\bno-store\b/, `index.html Cache-Control: ${cc}`)
    assert.doesNotMatch(cc, /immutable/)

    const asset = /["'](\/assets\/[^"']+\.js)["']/.exec(index.text)?.[1] ||
      `/assets/${readdirSync(resolve(DIST, 'assets')).find((f) => f.endsWith('.js'))}`
    const js = await c.get(asset)
    assertStatus(js, 200)
    assert.match(js.headers['content-type'], /javascript/)
    assertCommon(js, asset)
    const acc = String(js.headers['cache-control'])
    assert.match(acc, /\bimmutable\b/, `${asset} Cache-Control: ${acc}`)
    const maxAge = Number(/max-age=(\d+)/.exec(acc)?.[1] || 0)
    assert.ok(maxAge >= 30 * 86400, `${asset}: max-age ${maxAge}`)
    assert.doesNotMatch(acc, /no-cache|no-store/)

    // A missing asset is a 404, not index.html cached for a year.
    const missing = await c.get('/assets/no-such-file-0000.js')
    assert.equal(missing.status, 404)
    assert.doesNotMatch(String(missing.headers['cache-control']), /immutable/)
  })
}, { args: HAVE_WEB ? ['--web', DIST] : [] })
