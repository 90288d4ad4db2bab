// The OpenAPI document (GET /api/v1/openapi.json): a well-formed OpenAPI 3 document whose every
// $ref resolves, whose every operation is routed by the server, and which lists the same
// endpoints as docs/api.md.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { assertError, assertStatus, forEachBackend } from './harness.mjs'

const API_MD = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/api.md')
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']

function operations(doc) {
  const out = []
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (METHODS.includes(method)) out.push({ method: method.toUpperCase(), path, op, item })
    }
  }
  return out
}

// RFC 6901 JSON pointer inside `doc`; undefined when it leads nowhere.
function resolvePointer(doc, pointer) {
  let node = doc
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined
    node = node[key]
  }
  return node
}

function collectRefs(node, where, out) {
  if (Array.isArray(node)) {
    node.forEach((x, i) => collectRefs(x, `${where}/${i}`, out))
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') out.push({ ref: v, where })
      else collectRefs(v, `${where}/${k}`, out)
    }
  }
  return out
}

// "METHOD /api/v1/…" of every endpoint in the tables of docs/api.md (query strings dropped).
function documentedEndpoints() {
  const found = new Set()
  let base = ''
  for (const line of readFileSync(API_MD, 'utf8').split('\n')) {
    const section = /^## .*`(\/api\/v1\/[a-z]+)`/.exec(line)
    if (line.startsWith('## ')) base = section ? section[1] : ''
    const row = /^\| `(GET|POST|PATCH|PUT|DELETE) ([^`?& ]+)/.exec(line)
    if (!row) continue
    let path = row[2]
    if (!path.startsWith('/api/') && path !== '/healthz') {
      const last = base.slice(base.lastIndexOf('/'))
      path = path.startsWith(last) ? `/api/v1${path}` : `${base}${path}`
    }
    found.add(`${row[1]} ${path}`)
  }
  return found
}

forEachBackend('OpenAPI document', (ctx) => {
  test('is served without a session and looks like OpenAPI 3', async () => {
    const res = await ctx.server.client().get('/api/v1/openapi.json')
    assertStatus(res, 200)
    assert.match(res.headers['content-type'], /^application\/json/)
    assert.deepEqual(res.json, ctx.doc, 'the same document every time')
    const doc = res.json
    assert.match(doc.openapi, /^3\.\d+\.\d+$/)
    assert.equal(typeof doc.info?.title, 'string')
    assert.ok(doc.info.title.length > 0)
    assert.equal(typeof doc.info.version, 'string')
    assert.ok(doc.paths && typeof doc.paths === 'object')
    assert.ok(Object.keys(doc.paths).length >= 20, 'paths is nearly empty')
    assert.ok(doc.components && Object.keys(doc.components.schemas || {}).length > 0)
  })

  test('every operation is complete: responses, unique operationId, path parameters', () => {
    const ids = new Set()
    const problems = []
    for (const { method, path, op, item } of operations(ctx.doc)) {
      const name = `${method} ${path}`
      if (!path.startsWith('/')) problems.push(`${name}: path does not start with /`)
      const statuses = Object.keys(op.responses || {})
      if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${name}: no 2xx response`)
      if (op.operationId) {
        if (ids.has(op.operationId)) problems.push(`${name}: duplicate operationId`)
        ids.add(op.operationId)
      }
      const params = [...(item.parameters || []), ...(op.parameters || [])]
      for (const [, p] of path.matchAll(/\{([^}]+)\}/g)) {
        const decl = params.find((x) => x.in === 'path' && x.name === p)
        if (!decl || decl.required !== true) problems.push(`${name}: path parameter ${p}`)
      }
      for (const x of params) {
        if (!['path', 'query', 'header', 'cookie'].includes(x.in)) problems.push(`${name}: ${x.in}`)
      }
      // File uploads take the raw bytes; everything else is JSON.
      const upload = op.requestBody?.content?.['application/octet-stream']?.schema?.format === 'binary'
      if (op.requestBody && !upload && !op.requestBody.content?.['application/json']) {
        problems.push(`${name}: request body is not application/json`)
      }
    }
    assert.deepEqual(problems, [])
  })

  test('every $ref resolves inside the document', () => {
    const refs = collectRefs(ctx.doc, '#', [])
    assert.ok(refs.length > 10, 'the document uses $ref')
    const broken = refs.filter(({ ref }) => !ref.startsWith('#/') ||
      resolvePointer(ctx.doc, ref.slice(1)) === undefined)
    assert.deepEqual(broken, [])
  })

  test('every operation is routed: 401 without a session, public ones answer', async () => {
    const c = ctx.server.client()
    // Controls: an unknown path and a wrong method look like this.
    const unknown = await c.get('/api/v1/no-such-thing')
    assertError(unknown, 404, 'not_found')
    assert.equal((await c.request('DELETE', '/api/v1/people')).status, 405)

    const problems = []
    for (const { method, path, op } of operations(ctx.doc)) {
      const concrete = path.replace(/\{[^}]+\}/g, '1')
      const res = await c.request(method, concrete,
        ['POST', 'PATCH', 'PUT'].includes(method) ? { json: {} } : {})
      const isPublic = Array.isArray(op.security) && op.security.length === 0
      const name = `${method} ${path}`
      if (res.status === 405 || (res.status === 404 && res.text === unknown.text)) {
        problems.push(`${name}: not routed (${res.status})`)
      } else if (!isPublic && res.status !== 401) {
        problems.push(`${name}: ${res.status} without a session`)
      } else if (isPublic && (res.status === 401 ||
                 // A public page of a record that does not exist answers like any absent record.
                 (res.status === 404 && (!path.includes('{') ||
                                         res.json?.error?.message !== 'no such record')))) {
        problems.push(`${name}: public but ${res.status}`)
      }
    }
    assert.deepEqual(problems, [])
  })

  test('lists the same endpoints as docs/api.md', () => {
    const documented = documentedEndpoints()
    assert.ok(documented.size >= 20, `only ${documented.size} endpoints parsed from docs/api.md`)
    const served = new Set(operations(ctx.doc).map(({ method, path }) => `${method} ${path}`))
    assert.deepEqual([...documented].filter((e) => !served.has(e)), [],
      'in docs/api.md but not in the OpenAPI document')
    assert.deepEqual([...served].filter((e) => !documented.has(e)), [],
      'in the OpenAPI document but not in docs/api.md')
  })
}, {
  async setup(ctx) {
    const res = await ctx.server.client().get('/api/v1/openapi.json')
    assertStatus(res, 200)
    ctx.doc = res.json
  },
})
