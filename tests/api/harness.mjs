// Harness of the HTTP API integration tests: starts a real `jiandu demo` server on a free port
// for one storage backend, talks to it over real sockets and stops it afterwards.
//
//   import { forEachBackend, Client } from './harness.mjs'
//   forEachBackend('people', (ctx) => {
//     test('lists people', async () => {
//       const c = await ctx.server.signIn('congress')
//       assert.equal((await c.get('/api/v1/people')).status, 200)
//     })
//   })
//
// Environment: JIANDU_BIN (the server binary), JIANDU_TEST_PG_URL (a throwaway PostgreSQL
// superuser connection string, from scripts/with-postgres.sh) and, for local runs only,
// JIANDU_TEST_BACKENDS=sqlite to leave PostgreSQL out. Server output goes to
// $JIANDU_TEST_OUTPUT/api/ when that is set, and is printed when a server fails to start.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import zlib from 'node:zlib'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { after, before, describe } from 'node:test'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = resolve(ROOT, process.env.JIANDU_BIN || 'build/src/cli/jiandu')
export const PASSWORD = 'jiandu-demo-2026'
export const BACKENDS = (process.env.JIANDU_TEST_BACKENDS || 'sqlite,postgres')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean)
const OUTPUT = process.env.JIANDU_TEST_OUTPUT
  ? join(resolve(process.env.JIANDU_TEST_OUTPUT), 'api')
  : null
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 20_000

// ---------- RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-second steps) ----------

export const TOTP_STEP_MS = 30_000

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const out = []
  for (const ch of text.toUpperCase().replace(/[\s=]/g, '')) {
    const v = alphabet.indexOf(ch)
    if (v < 0) throw new Error(`not base32: ${ch}`)
    value = ((value << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function totpStep(atMs = Date.now()) {
  return Math.floor(atMs / TOTP_STEP_MS)
}

// The RFC 4226 HOTP value of `step` for a base32 secret, as 6 digits.
export function totpCode(secretBase32, step = totpStep()) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 1_000_000).padStart(6, '0')
}

// Sleeps until the TOTP step after `step` has begun (a code works once per step).
export async function waitForStepAfter(step) {
  const wait = (step + 1) * TOTP_STEP_MS - Date.now()
  if (wait > 0) await sleep(wait + 50)
}

// ---------- GB 11643 resident ID numbers ----------

export function idCheckChar(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]
  return '10X98765432'[sum % 11]
}

// A well-formed ID number: region, birth date YYYYMMDD, 3-digit sequence (odd = male).
export function idNumber(region, birth, seq) {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`
  return first17 + idCheckChar(first17)
}

let idNo = 0
// A fresh valid ID number of region 420322, unique within this process: the day of `birth` and
// the sequence vary. Sequences 500-999 never clash with the demo county's (103-307).
export function freshIdNumber(birth = '19800101', region = '420322') {
  idNo += 1
  const day = 1 + (Math.floor(idNo / 500) % 28)
  return idNumber(region, birth.slice(0, 6) + String(day).padStart(2, '0'), 500 + (idNo % 500))
}

// ---------- HTTP ----------

let loopbackNo = 0
// A distinct loopback source address for each client: the server rate-limits sign-ins per
// client address, so tests that sign in a lot do not eat each other's budget.
export function freshLoopback() {
  loopbackNo += 1
  return `127.1.${Math.floor(loopbackNo / 250) % 250}.${(loopbackNo % 250) + 1}`
}

// Builds /path?query with proper percent-encoding (undefined values are left out).
export function url(path, query = {}) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null) params.append(k, String(v))
  }
  const s = params.toString()
  return s ? `${path}?${s}` : path
}

// One HTTP request over a socket. Resolves to {status, headers, text, json, socket, localPort};
// json is the parsed body when it is JSON, else undefined.
export function rawRequest({ port, host = '127.0.0.1', method = 'GET', path, headers = {},
  body, localAddress, agent = false, timeoutMs = 30_000 }) {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      { host, port, method, path, headers, localAddress, agent, timeout: timeoutMs },
      (res) => {
        const socket = res.socket // released to the agent's pool once the body has been read
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const bytes = Buffer.concat(chunks)
          const text = bytes.toString('utf8')
          let json
          if ((res.headers['content-type'] || '').startsWith('application/json') && text) {
            try {
              json = JSON.parse(text)
            } catch {
              json = undefined
            }
          }
          resolvePromise({ status: res.statusCode, headers: res.headers, text, json, bytes, socket,
            localPort: socket?.localPort })
        })
      },
    )
    req.on('timeout', () => req.destroy(
      new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)))
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

// The entries of a ZIP file (an XLSX workbook) as a Map from name to their bytes, read from the
// central directory (stored and deflated entries).
export function unzip(buf) {
  const out = new Map()
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1
  assert.ok(eocd >= 0, 'not a ZIP file')
  let p = buf.readUInt32LE(eocd + 16)
  const count = buf.readUInt16LE(eocd + 10)
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory')
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(dataAt, dataAt + size)
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : data)
    p += 46 + nameLen + extraLen + commentLen
  }
  return out
}

// Asserts an error answer: status, error.code and (when given, or null for none) error.field.
export function assertError(res, status, code, field) {
  const where = `${res.status} ${res.text.slice(0, 300)}`
  assert.equal(res.status, status, where)
  assert.ok(res.json && res.json.error, `no error body: ${where}`)
  if (code !== undefined) assert.equal(res.json.error.code, code, where)
  if (field !== undefined) assert.equal(res.json.error.field ?? null, field, where)
}

export function assertStatus(res, status) {
  assert.equal(res.status, status, `${res.status} ${res.text.slice(0, 300)}`)
}

// A browser-like client: keeps the session cookie and sends X-CSRF-Token on writes.
export class Client {
  constructor(server, { address = freshLoopback() } = {}) {
    this.server = server
    this.address = address
    this.token = null
    this.csrf = null
    this.session = null
  }

  async request(method, path, { json, body, headers = {}, csrf = true, agent } = {}) {
    const h = { ...headers }
    if (json !== undefined) {
      body = JSON.stringify(json)
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
        h['content-type'] = 'application/json'
      }
    }
    if (this.token !== null && !('cookie' in h)) h.cookie = `jiandu_session=${this.token}`
    if (csrf && this.csrf && method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] = this.csrf
    const res = await rawRequest({ port: this.server.port, method, path, headers: h, body,
      localAddress: this.address, agent })
    for (const c of [].concat(res.headers['set-cookie'] || [])) {
      const m = /^jiandu_session=([^;]*)/.exec(c)
      if (m) this.token = m[1] === '' ? null : m[1]
    }
    return res
  }

  get(path, opts) {
    return this.request('GET', path, opts)
  }

  post(path, json = {}, opts = {}) {
    return this.request('POST', path, { json, ...opts })
  }

  patch(path, json = {}, opts = {}) {
    return this.request('PATCH', path, { json, ...opts })
  }

  // Password step only; returns the raw answer and remembers the session on success.
  async login(username, password = PASSWORD) {
    const res = await this.post('/api/v1/auth/login', { username, password })
    if (res.status === 200) {
      this.csrf = res.json.csrf_token
      this.session = res.json
    }
    return res
  }

  remember(res) {
    assertStatus(res, 200)
    this.csrf = res.json.csrf_token
    this.session = res.json
    return res.json
  }
}

// ---------- servers ----------

// Servers still running when this process ends (a crash, a cancelled run) are killed and
// their data directories removed.
const live = new Set()
const dataDirs = new Set()
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL')
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true })
})
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => process.exit(code))
}

function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { timeout: 60_000, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`))
      else resolvePromise(stdout)
    })
  })
}

function psql(conninfo, sql) {
  return run('psql', [conninfo, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql])
}

// The same connection string pointing at database `name` (URI or key=value form).
export function withDatabase(conninfo, name) {
  if (/^postgres(ql)?:\/\//.test(conninfo)) {
    const u = new URL(conninfo)
    u.pathname = `/${name}`
    u.searchParams.delete('dbname')
    return u.toString()
  }
  const keyword = /(^|\s)dbname=\S*/
  if (keyword.test(conninfo)) return conninfo.replace(keyword, `$1dbname=${name}`)
  return `${conninfo} dbname=${name}`
}

let serverNo = 0

// A running `jiandu demo` server. Use start() / stop(); signIn() gives a signed-in Client.
export class Server {
  constructor(backend, { args = [] } = {}) {
    this.backend = backend
    this.args = args
    this.port = 0
    this.proc = null
    this.exited = null // promise of {code, signal}
    this.stdout = ''
    this.stderr = ''
    this.totp = new Map() // username → {secret, lastStep}
    this.cleanups = []
    serverNo += 1
    const file = basename(process.argv[1] || 'api', '.mjs')
    this.label = `${file}-${backend}-${process.pid}-${serverNo}`
  }

  async start() {
    const env = { ...process.env }
    let storeArgs
    if (this.backend === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'jiandu-api-'))
      dataDirs.add(dir)
      this.cleanups.push(() => {
        rmSync(dir, { recursive: true, force: true })
        dataDirs.delete(dir)
      })
      storeArgs = ['--data', dir]
    } else if (this.backend === 'postgres') {
      const pg = process.env.JIANDU_TEST_PG_URL
      if (!pg) throw new Error('JIANDU_TEST_PG_URL is not set: run under scripts/with-postgres.sh')
      const db = `jiandu_api_${process.pid}_${serverNo}_${randomBytes(3).toString('hex')}`
      await psql(pg, `CREATE DATABASE ${db}`)
      this.cleanups.push(() => psql(pg, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`))
      storeArgs = ['--db', withDatabase(pg, db)]
      env.JIANDU_SECRET_KEY = randomBytes(32).toString('hex')
    } else {
      throw new Error(`unknown backend ${this.backend}`)
    }
    this.storeArgs = storeArgs
    this.env = env
    const proc = spawn(BIN, ['demo', ...storeArgs, '--listen', '127.0.0.1:0', ...this.args],
      { env, stdio: ['ignore', 'pipe', 'pipe'] })
    this.proc = proc
    live.add(proc)
    this.exited = new Promise((r) => proc.on('exit', (code, signal) => {
      live.delete(proc)
      r({ code, signal })
    }))
    proc.stderr.on('data', (d) => { this.stderr += d })
    const ready = new Promise((resolvePromise, reject) => {
      proc.stdout.on('data', (d) => {
        this.stdout += d
        const m = /Jiandu is serving at http:\/\/127\.0\.0\.1:(\d+)\/ \((\w+)\)/.exec(this.stdout)
        if (m) resolvePromise({ port: Number(m[1]), backend: m[2] })
      })
      this.exited.then(({ code, signal }) => reject(new Error(
        `jiandu demo exited (${code ?? signal}) before serving:\n${this.stdout}\n${this.stderr}`)))
      setTimeout(() => reject(new Error(`jiandu demo did not serve within ${START_TIMEOUT_MS} ` +
        `ms:\n${this.stdout}\n${this.stderr}`)), START_TIMEOUT_MS).unref()
    })
    try {
      const r = await ready
      assert.equal(r.backend, this.backend, 'the server runs on another backend than asked')
      this.port = r.port
    } catch (e) {
      await this.stop()
      throw e
    }
    return this
  }

  // Sends `signal` (SIGTERM: graceful) and waits for the exit; then deletes the data.
  async stop(signal = 'SIGTERM') {
    let result = null
    if (this.proc) {
      if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal)
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_TIMEOUT_MS)
      result = await this.exited
      clearTimeout(timer)
      if (OUTPUT) {
        mkdirSync(OUTPUT, { recursive: true })
        appendFileSync(join(OUTPUT, `${this.label}.log`), `${this.stdout}\n${this.stderr}`)
      }
    }
    for (const c of this.cleanups.reverse()) {
      try {
        await c()
      } catch (e) {
        console.error(`cleanup after ${this.label}: ${e.message}`)
      }
    }
    this.cleanups = []
    return result
  }

  // Creates a user with the operator's CLI (`jiandu user add`) on the server's database: the
  // only way to get a user above the demo county, where no API user can act.
  cliAddUser({ username, role, orgCode, password, displayName = username }) {
    return new Promise((resolvePromise, reject) => {
      const p = spawn(BIN, ['user', 'add', ...this.storeArgs, '--org', orgCode, '--role', role,
        '--username', username, '--display-name', displayName],
      { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] })
      let out = ''
      p.stdout.on('data', (d) => { out += d })
      p.stderr.on('data', (d) => { out += d })
      p.on('error', reject)
      p.on('exit', (code) => (code === 0 ? resolvePromise(out)
        : reject(new Error(`jiandu user add ${username}: exit ${code}: ${out}`))))
      p.stdin.end(`${password}\n`)
    })
  }

  client(opts) {
    return new Client(this, opts)
  }

  // A client signed in as `username` with an active session. Administrators enrol TOTP at
  // their first sign-in here and use it at later ones (waiting for a fresh step if needed).
  async signIn(username, { password = PASSWORD, address } = {}) {
    const c = this.client({ address })
    const res = await c.login(username, password)
    assertStatus(res, 200)
    if (res.json.stage === 'active') return c
    if (res.json.stage === 'totp_enrollment_required') {
      const enrol = await c.post('/api/v1/auth/totp/enroll', {})
      assertStatus(enrol, 200)
      const step = totpStep(this.nowMs())
      const code = totpCode(enrol.json.secret, step)
      c.remember(await c.post('/api/v1/auth/totp/confirm', { code }))
      this.totp.set(username, { secret: enrol.json.secret, lastStep: step })
    } else {
      assert.equal(res.json.stage, 'totp_required')
      const t = this.totp.get(username)
      assert.ok(t, `no TOTP secret known for ${username}`)
      await waitForStepAfter(t.lastStep)
      const step = totpStep()
      c.remember(await c.post('/api/v1/auth/totp', { code: totpCode(t.secret, step) }))
      t.lastStep = step
    }
    assert.equal(c.session.stage, 'active')
    return c
  }

  // The server's time: the real one, or the one a test set with --test-clock (fakeNowMs).
  nowMs() {
    return this.fakeNowMs ?? Date.now()
  }

  url(path = '/') {
    return `http://127.0.0.1:${this.port}${path}`
  }
}

// Declares the suite of one backend: a fresh server (ctx.server) is started before its tests
// and stopped after them, whether they passed or not. options: args (extra server flags),
// setup(ctx) (run after the start), label (the suite's name), concurrency and timeout.
export function backendSuite(backend, fn, options = {}) {
  describe(options.label || backend, { concurrency: options.concurrency ?? 1,
    timeout: options.timeout }, () => {
    const ctx = { backend, server: null }
    before(async () => {
      ctx.server = await new Server(backend, { args: options.args }).start()
      if (options.setup) await options.setup(ctx)
    })
    after(async () => {
      if (ctx.server) await ctx.server.stop()
    })
    fn(ctx)
  })
}

// Declares suite `name` once per backend (see backendSuite); the backends' suites run side by
// side. options.backends restricts them (e.g. ['sqlite']).
export function forEachBackend(name, fn, options = {}) {
  const backends = (options.backends || BACKENDS).filter((b) => BACKENDS.includes(b))
  describe(name, { concurrency: backends.length || 1 }, () => {
    for (const backend of backends) backendSuite(backend, fn, options)
  })
}

// ---------- the demo county ----------

// The demo county's organisations as seen by `client` (signed in at the county): a Map from
// name to Org for the county, its children and the government's children.
export async function demoOrgs(client) {
  const byName = new Map()
  const root = await client.get('/api/v1/orgs')
  assertStatus(root, 200)
  const county = root.json.items[0]
  byName.set(county.name, county)
  const queue = [county]
  while (queue.length) {
    const o = queue.shift()
    if (!o.has_children) continue
    const children = await client.get(url('/api/v1/orgs', { parent_id: o.id }))
    assertStatus(children, 200)
    for (const c of children.json.items) {
      byName.set(c.name, c)
      queue.push(c)
    }
  }
  return byName
}

// Registers a person through the API and returns the Person.
export async function createPerson(client, fields) {
  const res = await client.post('/api/v1/people',
    { name: '测试人', id_number: freshIdNumber(), ...fields })
  assertStatus(res, 201)
  return res.json
}

// A valid appointment body (the pre-appointment record passes every rule).
export function appointmentBody(fields) {
  return {
    decision_type: 'appointed',
    meeting: '郧西县第十九届人民代表大会常务委员会第九次会议',
    appointed_on: '2024-03-15',
    term_end: '2026-12-31',
    pre_appointment: {
      exam_score: 82, exam_pass_mark: 60, exam_taken_on: '2024-03-01',
      statement_on: '2024-03-15', oath_on: '2024-03-15',
    },
    ...fields,
  }
}

// Runs `check(item)` for every item and fails once at the end, listing every item whose check
// failed (so one refused case does not hide the others).
export async function checkEach(items, check) {
  const failures = []
  for (const item of items) {
    try {
      await check(item)
    } catch (e) {
      failures.push(`  ${JSON.stringify(item)}: ${String(e.message).split('\n')[0]}`)
    }
  }
  if (failures.length) {
    assert.fail(`${failures.length} of ${items.length} cases failed:\n${failures.join('\n')}`)
  }
}
