// HTTP/1.1 behaviour of the server itself: keep-alive, HEAD, the header size limit (431), the
// read deadline for a client that stalls mid-request (SQLite only: it takes 15 s and does not
// depend on the backend), and a graceful shutdown on SIGTERM.
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import {
  assertError, assertStatus, BACKENDS, backendSuite, PASSWORD, rawRequest, Server,
} from './harness.mjs'

const READ_TIMEOUT_S = 15

// Connects, writes `text`, and resolves when the server closes the connection:
// {ms: time from the write to the close, data: what the server sent}.
function stallAfter(port, text) {
  return new Promise((resolvePromise, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' })
    let data = ''
    let start
    s.on('connect', () => {
      start = Date.now()
      s.write(text)
    })
    s.on('data', (d) => { data += d })
    s.on('error', (e) => (e.code === 'ECONNRESET' ? null : reject(e)))
    s.on('close', () => resolvePromise({ ms: Date.now() - start, data }))
  })
}

function tests(ctx) {
  test('keep-alive: two requests on one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const a = await rawRequest({ port: ctx.server.port, path: '/healthz', agent })
      const b = await rawRequest({ port: ctx.server.port, path: '/api/v1/openapi.json', agent })
      assertStatus(a, 200)
      assertStatus(b, 200)
      assert.notEqual(a.headers.connection, 'close')
      assert.equal(a.socket, b.socket, 'the second request reused the connection')
      assert.equal(a.localPort, b.localPort)
    } finally {
      agent.destroy()
    }
  })

  test('HEAD answers the headers of GET without a body', async () => {
    const get = await rawRequest({ port: ctx.server.port, path: '/healthz' })
    const head = await rawRequest({ port: ctx.server.port, method: 'HEAD', path: '/healthz' })
    assertStatus(head, 200)
    assert.equal(head.text, '')
    assert.equal(head.headers['content-type'], get.headers['content-type'])
    // RFC 9110 §8.6: Content-Length in a HEAD answer, if sent, is the length GET would send.
    if (head.headers['content-length'] !== undefined) {
      assert.equal(head.headers['content-length'], String(Buffer.byteLength(get.text)),
        `HEAD says Content-Length ${head.headers['content-length']}, GET sends ` +
        `${Buffer.byteLength(get.text)} bytes`)
    }
  })

  test('request headers over 16 KiB are refused with 431', async () => {
    const port = ctx.server.port
    const filler = (kib) => ({ 'x-filler': 'a'.repeat(kib * 1024) })
    assertStatus(await rawRequest({ port, path: '/healthz', headers: filler(8) }), 200)
    assertError(await rawRequest({ port, path: '/healthz', headers: filler(17) }), 431)
    // Many headers that add up to more than 16 KiB count too.
    const many = {}
    for (let i = 0; i < 40; i++) many[`x-filler-${i}`] = 'b'.repeat(500)
    assertError(await rawRequest({ port, path: '/healthz', headers: many }), 431)
    assertStatus(await rawRequest({ port, path: '/healthz' }), 200)
  })

  test('SIGTERM: requests in flight complete, idle connections close, exit code 0', async () => {
    const s = await new Server(ctx.backend).start()
    try {
      // An idle keep-alive connection must not hold the shutdown up.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      assertStatus(await rawRequest({ port: s.port, path: '/healthz', agent }), 200)
      // Logins hash passwords on the worker pool: eight of them take a while.
      let sigtermAt = 0
      const finished = []
      const logins = Array.from({ length: 8 }, async () => {
        let outcome
        try {
          outcome = (await s.client().login('deputy', PASSWORD)).status
        } catch (e) {
          outcome = e.code || e.message
        }
        finished.push(Date.now())
        if (!sigtermAt) {
          // The first answer is back, so the others have been read: stop the server now.
          sigtermAt = Date.now()
          s.proc.kill('SIGTERM')
        }
        return `${outcome} after ${Date.now() - sigtermAt} ms`
      })
      const outcomes = await Promise.all(logins)
      assert.ok(outcomes.every((o) => o.startsWith('200 ')),
        `answers to the logins sent before SIGTERM: ${outcomes.join(', ')}`)
      assert.ok(finished.some((t) => t > sigtermAt), 'no request was in flight at SIGTERM')
      const exit = await Promise.race([s.exited, sleep(8000).then(() => 'still running')])
      assert.deepEqual(exit, { code: 0, signal: null })
      assert.ok(Date.now() - sigtermAt < 8000)
      agent.destroy()
      await assert.rejects(rawRequest({ port: s.port, path: '/healthz' }), /ECONNREFUSED/)
    } finally {
      await s.stop()
    }
  })
}

describe('HTTP behaviour', { concurrency: true }, () => {
  for (const backend of BACKENDS) backendSuite(backend, tests)

  if (BACKENDS.includes('sqlite')) {
    backendSuite('sqlite', (ctx) => {
      test(`a client that stalls mid-request is cut off after ${READ_TIMEOUT_S} s`, async () => {
        const stalled = stallAfter(ctx.server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ')
        // Meanwhile the server answers others.
        await sleep(1000)
        assertStatus(await rawRequest({ port: ctx.server.port, path: '/healthz' }), 200)
        const { ms, data } = await stalled
        assert.ok(ms >= (READ_TIMEOUT_S - 2) * 1000, `closed after ${ms} ms`)
        assert.ok(ms <= (READ_TIMEOUT_S + 10) * 1000, `closed after ${ms} ms`)
        assert.ok(data === '' || /^HTTP\/1\.1 408/.test(data), `answered ${data.slice(0, 80)}`)
      })
    }, { label: 'sqlite (slow client)', timeout: 60_000 })
  }
})
