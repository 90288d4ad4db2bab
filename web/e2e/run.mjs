// End-to-end test of the Jiandu web UI against a real `jiandu demo` server, driving Debian's
// Chromium with playwright-core. Run from web/ after `npm run build`:
//   npm run e2e
// Environment:
//   JIANDU_BIN          server binary (default ../build/src/cli/jiandu, relative to web/)
//   JIANDU_TEST_OUTPUT  where screenshots and the server log go (default ../test-output);
//                       this test writes to $JIANDU_TEST_OUTPUT/e2e/
//   CHROMIUM            browser binary (default /usr/bin/chromium)
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = resolve(WEB, process.env.JIANDU_BIN || '../build/src/cli/jiandu')
const OUT = join(resolve(WEB, process.env.JIANDU_TEST_OUTPUT || '../test-output'), 'e2e')
const DIST = join(WEB, 'dist')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const PASSWORD = 'jiandu-demo-2026'
const STEP_TIMEOUT_MS = 20_000
const TOTAL_TIMEOUT_MS = 8 * 60_000

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const results = []
const cspViolations = []
const pageErrors = []
const temps = []
let server = null
let context = null
let browser = null
let shotNo = 0
let currentPage = null

// ---------- pure helpers (GB 11643, RFC 6238) ----------
function idCheckChar(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i]
  return '10X98765432'[sum % 11]
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const clean = text.toUpperCase().replace(/[\s=]/g, '')
  let bits = 0
  let value = 0
  const out = []
  for (const ch of clean) {
    const v = alphabet.indexOf(ch)
    if (v < 0) throw new Error(`not base32: ${ch}`)
    value = (value << 5) | v
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

function totpNow(secret, at = Date.now()) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)))
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000
  return String(code).padStart(6, '0')
}

function isoDate(d) {
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
function daysFromNow(n) {
  const d = new Date()
  d.setDate(d.getDate() + n)
  return isoDate(d)
}

// ---------- harness ----------
async function step(name, fn) {
  const t0 = Date.now()
  try {
    await fn()
    results.push({ name, ok: true, ms: Date.now() - t0 })
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`)
    return true
  } catch (err) {
    results.push({ name, ok: false, ms: Date.now() - t0, err })
    console.log(`  FAIL ${name}: ${err && err.message ? err.message.split('\n')[0] : err}`)
    if (currentPage) {
      const slug = name.replace(/[^\w]+/g, '-').slice(0, 60)
      await shot(currentPage, `FAILED-${slug}`).catch(() => {})
    }
    return false
  }
}

async function shot(page, name) {
  shotNo += 1
  const file = join(OUT, `${String(shotNo).padStart(2, '0')}-${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

function assertNoCsp(where) {
  assert.deepEqual(cspViolations, [], `CSP violations (${where})`)
  assert.deepEqual(pageErrors, [], `uncaught page errors (${where})`)
}

function startServer() {
  if (!existsSync(BIN)) throw new Error(`server binary not found: ${BIN} (set JIANDU_BIN)`)
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no built UI in ${DIST}: run npm run build first`)
  const dataDir = mkdtempSync(join(tmpdir(), 'jiandu-e2e-data-'))
  temps.push(dataDir)
  const log = createWriteStream(join(OUT, 'server.log'))
  const isScript = /\.m?js$/.test(BIN)
  const cmd = isScript ? process.execPath : BIN
  const args = [...(isScript ? [BIN] : []), 'demo', '--data', dataDir, '--listen', '127.0.0.1:0', '--web', DIST]
  console.log(`starting: ${BIN} ${args.slice(isScript ? 1 : 0).join(' ')}`)
  server = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolveUrl, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error('server did not print "Jiandu is serving at" within 60 s')), 60_000)
    server.stdout.on('data', (chunk) => {
      log.write(chunk)
      buffered += chunk.toString('utf8')
      const m = /Jiandu is serving at (http:\/\/\S+?)\/?\s/.exec(buffered)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[1])
      }
    })
    server.stderr.on('data', (chunk) => log.write(chunk))
    server.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`server exited early (code ${code}, signal ${signal}); see ${join(OUT, 'server.log')}`))
    })
  })
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((r) => server.once('exit', r))
  server.kill('SIGTERM')
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

function watchPage(page) {
  page.setDefaultTimeout(STEP_TIMEOUT_MS)
  page.on('console', (msg) => {
    const text = msg.text()
    if (/Content[- ]Security[- ]Policy|CSP violation/i.test(text)) cspViolations.push(`${page.url()}: ${text}`)
  })
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`))
}

// ---------- UI helpers ----------
const sel = (name) => `[data-test="${name}"]`
const fieldInput = (field) => `${sel(`field-${field}`)} input`
// el-input puts extra attributes on its inner <input>; other components keep them on the root
const inputOf = (name) => `input${sel(name)}, ${sel(name)} input`
const fieldError = (field) => `${sel(`field-${field}`)} .el-form-item__error`

async function login(page, base, username) {
  await page.goto(`${base}/login`)
  await page.locator(inputOf('username')).fill(username)
  await page.locator(inputOf('password')).fill(PASSWORD)
  await page.locator(sel('login-submit')).click()
}

async function waitActive(page) {
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.locator(sel('user-name')).waitFor()
}

/** Open an el-select inside a form item and return the visible dropdown's options. */
async function openSelect(page, field) {
  await page.locator(`${sel(`field-${field}`)} .el-select__wrapper`).click()
  const dropdown = page.locator('.el-select-dropdown:visible, .el-popper:visible .el-select-dropdown').last()
  await dropdown.waitFor()
  return dropdown.locator('.el-select-dropdown__item')
}

async function closeSelect(page) {
  await page.keyboard.press('Escape')
  await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
}

async function pickDate(page, field, value) {
  const input = page.locator(fieldInput(field))
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.locator('.el-picker-panel:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
  assert.equal(await input.inputValue(), value, `date ${field}`)
}

// ---------- HTTP API from the test (prepares data the UI then shows) ----------
/** A signed-in API client for one demo user: { session, get, post, put }. */
async function apiAs(base, username) {
  let cookie = ''
  let csrf = ''
  async function call(method, path, body) {
    const headers = { Accept: 'application/json' }
    if (cookie) headers.Cookie = cookie
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json'
      if (csrf) headers['X-CSRF-Token'] = csrf
    }
    const res = await fetch(`${base}/api/v1${path}`, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body ?? {}) })
    const setCookie = res.headers.get('set-cookie')
    if (setCookie) cookie = setCookie.split(';')[0]
    const text = await res.text()
    const data = text ? JSON.parse(text) : null
    if (!res.ok) {
      const e = new Error(`${method} ${path}: HTTP ${res.status} ${text}`)
      e.status = res.status
      e.body = data
      throw e
    }
    return data
  }
  const session = await call('POST', '/auth/login', { username, password: PASSWORD })
  csrf = session.csrf_token
  return {
    session,
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
  }
}

// ---------- scenarios ----------
async function congressScenario(page, base) {
  const state = {}
  let ok = await step('congress logs in', async () => {
    await page.goto(`${base}/login`)
    await page.locator(sel('login-form')).waitFor()
    await shot(page, 'login')
    await login(page, base, 'congress')
    await waitActive(page)
    const header = await page.locator(sel('header-user')).innerText()
    assert.ok(header.trim().length > 0, 'header shows the user')
    assertNoCsp('login')
  })
  if (!ok) return

  await step('organisation tree loads and shows details', async () => {
    await page.locator(sel('nav-orgs')).click()
    await page.waitForURL(/\/orgs$/)
    const root = page.locator(`${sel('org-tree')} .el-tree-node`).first()
    await root.waitFor()
    await root.locator('.el-tree-node__content').first().click()
    await page.locator(`${sel('org-detail')} ${sel('org-kind')}`).waitFor()
    // expand the root to load its children lazily
    const expander = root.locator('.el-tree-node__expand-icon').first()
    if (!(await expander.getAttribute('class')).includes('is-leaf')) {
      await expander.click()
      await root.locator('.el-tree-node__children .el-tree-node').first().waitFor()
      await page.waitForTimeout(500) // let the expand animation finish before the screenshot
    }
    await shot(page, 'orgs')
    assertNoCsp('orgs')
  })

  ok = await step('people list searches a two-character name', async () => {
    await page.locator(sel('nav-people')).click()
    await page.waitForURL(/\/people$/)
    const names = page.locator(`${sel('people-table')} ${sel('person-link')}`)
    await names.first().waitFor()
    const all = (await names.allInnerTexts()).map((s) => s.trim())
    const two = all.find((n) => [...n].length === 2) || [...all[0]].slice(0, 2).join('')
    await page.locator(inputOf('people-search-input')).fill(two)
    await page.locator(sel('people-search-submit')).click()
    await page.waitForFunction(
      ([table, q]) => {
        const rows = [...document.querySelectorAll(`${table} [data-test="person-link"]`)]
        return rows.length > 0 && rows.every((r) => r.textContent.includes(q))
      },
      [sel('people-table'), two],
    )
    await shot(page, 'people-search')
    assertNoCsp('people')
  })

  ok = await step('registering a person with a wrong check digit shows the error at the ID field', async () => {
    await page.locator(sel('nav-people')).click()
    await page.locator(sel('person-new')).click()
    await page.waitForURL(/\/people\/new$/)
    const seq = String(100 + Math.floor(Math.random() * 800))
    const first17 = `420322198305${String(10 + Math.floor(Math.random() * 18))}${seq}`
    const right = idCheckChar(first17)
    const wrong = right === '0' ? '1' : '0'
    state.name = '韩立新'
    state.id = first17 + right
    await page.locator(fieldInput('name')).fill(state.name)
    await page.locator(fieldInput('id_number')).fill(first17 + wrong)
    await page.locator(fieldInput('phone')).fill('13907190000')
    await page.locator(sel('person-save')).click()
    const error = page.locator(fieldError('id_number'))
    await error.waitFor()
    const text = (await error.innerText()).trim()
    assert.ok(text.length > 0, 'error text next to id_number')
    assert.match(page.url(), /\/people\/new$/, 'still on the form')
    console.log(`       id_number error: ${text}`)
    await shot(page, 'person-new-error')
    assertNoCsp('person form')
  })
  if (!ok) return

  ok = await step('the corrected ID number saves the person', async () => {
    await page.locator(fieldInput('id_number')).fill(state.id)
    await page.locator(sel('person-save')).click()
    await page.waitForURL(/\/people\/\d+$/)
    state.personId = Number(/\/people\/(\d+)$/.exec(page.url())[1])
    await page.locator(sel('person-info')).waitFor()
    assert.equal((await page.locator(sel('person-name')).innerText()).trim(), state.name)
    const shown = (await page.locator(sel('person-id-number')).innerText()).trim()
    assert.notEqual(shown, state.id, 'ID number is masked')
    assert.ok(shown.endsWith(state.id.slice(-4)) || shown.includes('*'), `masked form: ${shown}`)
    await shot(page, 'person-detail')
  })
  if (!ok) return

  ok = await step('the person is appointed to a department position', async () => {
    await page.locator(sel('person-appoint')).click()
    await page.waitForURL(/\/appointments\/new\?person_id=\d+/)
    await page.locator(`${sel('field-person_id')} .el-select__selected-item`, { hasText: state.name }).first().waitFor()

    // pick a department with a position that has no holder yet
    let chosen = null
    const orgOptions = await openSelect(page, 'org_id')
    await orgOptions.first().waitFor()
    const deptTexts = await orgOptions.allInnerTexts()
    const deptIdx = deptTexts.map((t, i) => [t, i]).filter(([t]) => /政府工作部门|Government department/.test(t)).map(([, i]) => i)
    assert.ok(deptIdx.length > 0, `a government department among: ${deptTexts.join(' | ')}`)
    await closeSelect(page)
    for (const i of deptIdx) {
      const opts = await openSelect(page, 'org_id')
      await opts.nth(i).click()
      const posOpts = await (async () => {
        await page.locator(`${sel('field-position_id')} .el-select__wrapper:not(.is-disabled)`).waitFor()
        await page.waitForTimeout(200)
        return openSelect(page, 'position_id')
      })()
      await posOpts.first().waitFor({ timeout: 5000 }).catch(() => {})
      const texts = await posOpts.allInnerTexts()
      const free = texts.findIndex((t) => /在任 0 人|0 in office/.test(t))
      if (free >= 0) {
        await posOpts.nth(free).click()
        chosen = `${deptTexts[i].split('\n')[0]} / ${texts[free].split('\n')[0]}`
        break
      }
      await closeSelect(page)
    }
    assert.ok(chosen, 'found a department position without a holder')
    console.log(`       position: ${chosen}`)

    const bodies = await openSelect(page, 'appointing_body_id')
    const body = bodies.filter({ hasText: '郧西县人大常委会' }).first()
    await body.waitFor()
    await body.click()

    const appointed = daysFromNow(-3)
    await page.locator(fieldInput('meeting')).fill('县十九届人大常委会第二十次会议')
    await pickDate(page, 'appointed_on', appointed)
    await pickDate(page, 'term_end', daysFromNow(365 * 5))
    await page.locator(fieldInput('exam_score')).fill('85')
    await page.locator(fieldInput('exam_score')).press('Tab')
    await page.locator(fieldInput('exam_pass_mark')).fill('60')
    await page.locator(fieldInput('exam_pass_mark')).press('Tab')
    await pickDate(page, 'exam_taken_on', daysFromNow(-10))
    await pickDate(page, 'statement_on', appointed)
    await pickDate(page, 'oath_on', appointed)
    await shot(page, 'appointment-new')
    await page.locator(sel('appointment-save')).click()
    await page.waitForURL(new RegExp(`/people/${state.personId}$`))
    await page.locator(`${sel('appointment-table')} .el-table__row`).first().waitFor()
    await shot(page, 'person-appointed')
    assertNoCsp('appointment form')
  })
  if (!ok) return

  await step("the person's audit trail has the create and appointment entries", async () => {
    await page.locator('#tab-audit').click()
    const items = page.locator(`${sel('audit-trail')} ${sel('audit-item')}`)
    await page.waitForFunction((s) => document.querySelectorAll(s).length >= 2, `${sel('audit-trail')} ${sel('audit-item')}`)
    const actions = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-action') || ''))
    assert.ok(actions.some((a) => /person/.test(a) && /creat/.test(a)), `person create in ${actions.join(', ')}`)
    assert.ok(actions.some((a) => /appointment/.test(a)), `appointment entry in ${actions.join(', ')}`)
    const text = await page.locator(sel('audit-trail')).innerText()
    assert.match(text, /新增人员/, 'action in words')
    await shot(page, 'person-audit-trail')
  })

  await step('revealing the ID number and editing the person', async () => {
    await page.locator('#tab-appointments').click()
    await page.locator(sel('reveal')).click()
    await page.locator(sel('person-id-number'), { hasText: state.id }).waitFor()
    await page.locator(sel('person-edit')).click()
    await page.waitForURL(new RegExp(`/people/${state.personId}/edit$`))
    await page.locator(`${sel('field-name')} input`).waitFor()
    await page.waitForFunction((s) => document.querySelector(s)?.value?.length > 0, `${sel('field-name')} input`)
    await page.locator(`${sel('field-notes')} textarea`).fill('任前公示无异议')
    await page.locator(sel('person-save')).click()
    await page.waitForURL(new RegExp(`/people/${state.personId}$`))
    await page.locator(sel('person-info'), { hasText: '任前公示无异议' }).waitFor()
    await shot(page, 'person-edited')
    assertNoCsp('person edit')
  })

  await step('ending the appointment through the dialog', async () => {
    const row = page.locator(`${sel('appointment-table')} .el-table__row`).first()
    await row.waitFor()
    await page.locator(`${sel('appointment-table')} ${sel('end-appointment')}`).first().click()
    const dialog = page.locator(sel('end-dialog'))
    await dialog.waitFor()
    const reasons = await openSelect(page, 'end_reason')
    await reasons.filter({ hasText: '免职' }).first().click()
    await page.locator(`${sel('field-end_note')} textarea`).fill('工作调动')
    await page.waitForTimeout(400) // let the dialog and dropdown animations settle for the screenshot
    await shot(page, 'appointment-end-dialog')
    await page.locator(sel('end-submit')).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator(`${sel('appointment-table')} .el-tag`, { hasText: '已离任' }).first().waitFor()
    assertNoCsp('end appointment')
  })

  await step('appointment list and detail pages', async () => {
    await page.locator(sel('nav-appointments')).click()
    await page.waitForURL(/\/appointments/)
    await page.locator(`${sel('appointment-table')} .el-table__row`).first().waitFor()
    await shot(page, 'appointments')
    await page.locator(`${sel('appointment-table')} .el-table__row`).first().locator('a', { hasText: '详情' }).click()
    await page.waitForURL(/\/appointments\/\d+$/)
    await page.locator(sel('appointment-info')).waitFor()
    await page.locator(sel('audit-item')).first().waitFor()
    await shot(page, 'appointment-detail')
    assertNoCsp('appointments')
  })

  await step('switching to English translates the labels and persists', async () => {
    await page.locator(sel('nav-people')).click()
    await page.waitForURL(/\/people$/)
    await page.locator(sel('lang-en')).click()
    await page.locator(sel('nav-people'), { hasText: 'People' }).waitFor()
    await page.locator(sel('person-new'), { hasText: 'Register person' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    await page.reload()
    await page.locator(sel('nav-people'), { hasText: 'People' }).waitFor()
    // Element Plus's own texts follow too (empty table text comes from our messages; check the pager-free label)
    await shot(page, 'people-english')
    await page.locator(sel('lang-zh')).click()
    await page.locator(sel('nav-people'), { hasText: '人员管理' }).waitFor()
  })

  await step('congress logs out', async () => {
    await page.locator(sel('logout')).click()
    await page.waitForURL(/\/login/)
    await page.locator(sel('login-form')).waitFor()
  })
}

async function enrolAdmin(page, base, username) {
  await login(page, base, username)
  await page.locator(sel('enroll-form')).waitFor()
  await page.waitForFunction((s) => (document.querySelector(s)?.textContent || '').trim().length > 0, sel('totp-secret'))
  const secret = (await page.locator(sel('totp-secret')).innerText()).replace(/\s+/g, '')
  const uri = (await page.locator(sel('totp-uri')).innerText()).trim()
  assert.match(secret, /^[A-Z2-7]+=*$/, 'secret is base32')
  assert.ok(uri.startsWith('otpauth://totp/') && uri.includes(`secret=${secret}`), `otpauth URI carries the secret: ${uri}`)
  return secret
}

async function submitCode(page, secret) {
  // avoid the last second of a 30 s window
  const left = 30 - (Math.floor(Date.now() / 1000) % 30)
  if (left < 2) await page.waitForTimeout(left * 1000 + 200)
  await page.locator(inputOf('totp-code')).fill(totpNow(secret))
  await page.locator(sel('totp-submit')).click()
  await waitActive(page)
}

async function auditScenario(page, base) {
  const ok = await step('auditadmin enrols TOTP at first login', async () => {
    const secret = await enrolAdmin(page, base, 'auditadmin')
    await shot(page, 'totp-enrolment')
    await submitCode(page, secret)
    assertNoCsp('totp')
  })
  if (!ok) return
  await step('auditadmin verifies the audit chain', async () => {
    await page.locator(sel('nav-audit')).click()
    await page.waitForURL(/\/audit$/)
    await page.locator(`${sel('audit-table')} .el-table__row`).first().waitFor()
    await page.locator(sel('audit-verify')).click()
    const result = page.locator(sel('audit-verify-result'))
    await result.waitFor()
    assert.match(await result.getAttribute('class'), /el-alert--success/, await result.innerText())
    await shot(page, 'audit-verify')
    assert.equal(await page.locator(sel('nav-people')).count(), 0, 'audit admin sees no people menu')
    assertNoCsp('audit')
  })
  await step('auditadmin logs out', async () => {
    await page.locator(sel('logout')).click()
    await page.waitForURL(/\/login/)
  })
}

async function securityScenario(page, base) {
  const ok = await step('secadmin enrols TOTP and opens the user list', async () => {
    const secret = await enrolAdmin(page, base, 'secadmin')
    await submitCode(page, secret)
    await page.locator(sel('nav-users')).click()
    await page.waitForURL(/\/users$/)
    await page.locator(`${sel('users-table')} .el-table__row`).first().waitFor()
    const text = await page.locator(sel('users-table')).innerText()
    assert.match(text, /congress/, 'demo users are listed')
    await shot(page, 'users')
    assertNoCsp('users')
  })
  if (!ok) return
  await step('secadmin logs out', async () => {
    await page.locator(sel('logout')).click()
    await page.waitForURL(/\/login/)
  })
}

async function sysadminScenario(page, base) {
  const ok = await step('sysadmin enrols TOTP and adds a child organisation', async () => {
    const secret = await enrolAdmin(page, base, 'sysadmin')
    await submitCode(page, secret)
    await page.locator(sel('nav-orgs')).click()
    await page.waitForURL(/\/orgs$/)
    const root = page.locator(`${sel('org-tree')} .el-tree-node`).first()
    await root.waitFor()
    await root.locator('.el-tree-node__content').first().click()
    await page.locator(sel('org-add-child')).click()
    const dialog = page.locator(sel('org-dialog'))
    await dialog.waitFor()
    const name = `测试机构${Math.floor(Math.random() * 9000 + 1000)}`
    await page.locator(fieldInput('code')).fill(`E2E-${Date.now()}`)
    await page.locator(fieldInput('name')).fill(name)
    const kinds = await openSelect(page, 'kind')
    await kinds.filter({ hasText: '其他' }).first().click()
    await shot(page, 'org-add-child')
    await page.locator(sel('org-save')).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator(`${sel('org-tree')} .el-tree-node__label, ${sel('org-tree')} .tree-node-name`, { hasText: name }).first().waitFor()
    await page.locator(`${sel('org-detail')} .panel-title`, { hasText: name }).waitFor()
    assertNoCsp('org dialog')
  })
  if (!ok) return
  await step('sysadmin logs out', async () => {
    await page.locator(sel('logout')).click()
    await page.waitForURL(/\/login/)
  })
}

async function wrongPasswordScenario(page, base) {
  await step('a wrong password shows the credentials error', async () => {
    await page.context().clearCookies() // start signed out whatever happened before
    await page.goto(`${base}/login`)
    await page.locator(inputOf('username')).fill('congress')
    await page.locator(inputOf('password')).fill('not-the-password')
    await page.locator(sel('login-submit')).click()
    const err = page.locator(sel('login-error'))
    await err.waitFor()
    assert.match(await err.innerText(), /用户名或密码错误/)
    await shot(page, 'login-error')
  })
}

// ---------- reviews, the secret ballot, rectification, public pages ----------
const MOBILE = { width: 375, height: 740 }

async function newPage(browser, viewport) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' })
  const page = await ctx.newPage()
  watchPage(page)
  return page
}

async function noHorizontalScroll(page, where) {
  const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }))
  assert.ok(sw <= cw + 1, `${where}: no horizontal scrolling at ${cw} px (content ${sw} px)`)
}

async function castBallot(page, base, sheetId, choice, viaList) {
  if (viaList) {
    await page.goto(`${base}/vote`)
    const card = page.locator(sel('vote-sheet-card')).first()
    await card.waitFor()
    await card.click()
    await page.waitForURL(new RegExp(`/vote/${sheetId}$`))
  } else {
    await page.goto(`${base}/vote/${sheetId}`)
  }
  const rows = page.locator(sel('vote-row'))
  await rows.first().waitFor()
  const n = await rows.count()
  for (let i = 0; i < n; i++) await rows.nth(i).locator(`label[data-choice="${choice}"]`).click()
  await noHorizontalScroll(page, 'voting page')
  await page.locator(sel('vote-next')).click()
  await page.locator(sel('vote-confirm')).waitFor()
  await page.locator(sel('vote-submit')).click()
  const code = page.locator(sel('receipt-code'))
  await code.waitFor()
  const receipt = (await code.innerText()).trim()
  assert.match(receipt, /^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/, `receipt code: ${receipt}`)
  return receipt
}

async function supervisionScenario(browser, base) {
  const state = {}
  let officer
  let ok = await step('prepare a ballot through the API (reports, meeting, agenda, attendance, open)', async () => {
    const congress = await apiAs(base, 'congress')
    const m1 = await apiAs(base, 'member01')
    const m2 = await apiAs(base, 'member02')
    state.congress = congress
    const p1 = m1.session.user.person_id
    const p2 = m2.session.user.person_id
    assert.ok(p1 && p2, 'member01 and member02 are linked to person records')
    const committee = (await congress.get('/orgs?q=' + encodeURIComponent('人大常委会'))).items.find((o) => o.kind === 'standing_committee')
    assert.ok(committee, 'the demo standing committee')
    state.committee = committee
    const review = (await congress.get('/reviews?stage=investigating')).items[0]
    assert.ok(review, 'a review under investigation')
    state.review = review
    await congress.post(`/reviews/${review.id}/investigation-report`, { text: '调研组座谈走访服务对象 42 人，查阅资料 3 卷，问卷满意度 91%。' })
    await congress.post(`/reviews/${review.id}/work-report`, { text: '一年来围绕县委县政府中心工作，推进政务公开和“高效办成一件事”。' })
    const meeting = await congress.post('/meetings', { committee_id: committee.id, name: '县人大常委会第二十次会议（专题评议）' })
    state.meeting = meeting
    await congress.post(`/meetings/${meeting.id}/agenda`, { review_id: review.id, purpose: 'hearing' })
    const others = meeting.members.map((m) => m.person_id).filter((id) => id !== p1 && id !== p2)
    const present = [p1, p2, ...others.slice(0, Math.floor(meeting.members.length / 2))]
    await congress.put(`/meetings/${meeting.id}/attendance`, { person_ids: present })
    const draw = await congress.post(`/meetings/${meeting.id}/draws`, { review_id: review.id })
    await congress.post(`/meetings/${meeting.id}/questions`, {
      review_id: review.id,
      asker_person_id: draw.chosen_person_id,
      draw_id: draw.id,
      question: '政务服务“一网通办”办结率为何低于全市平均？',
      answer: '系统对接尚未完成，年内完成。',
    })
    const sheet = await congress.post(`/meetings/${meeting.id}/sheet`, { duration_minutes: 30 })
    assert.equal(sheet.state, 'open')
    state.sheetId = sheet.id
    console.log(`       review ${review.id} (${review.person_name}), meeting ${meeting.id}, sheet ${sheet.id}, ${present.length} present`)
  })
  if (!ok) return

  officer = await newPage(browser, { width: 1360, height: 860 })
  const member1 = await newPage(browser, MOBILE)
  const member2 = await newPage(browser, MOBILE)

  ok = await step('the officer watches the live tally (turnout 0)', async () => {
    currentPage = officer
    await login(officer, base, 'congress')
    await waitActive(officer)
    await officer.goto(`${base}/tally/${state.sheetId}`)
    await officer.locator(sel('tally-voted'), { hasText: /^0$/ }).waitFor()
    assert.equal((await officer.locator(sel('tally-state')).getAttribute('data-state')), 'open')
    await shot(officer, 'tally-open')
    assertNoCsp('tally')
  })
  if (!ok) return

  ok = await step('member01 votes on a 375 px phone through the voting page and gets a receipt', async () => {
    currentPage = member1
    await login(member1, base, 'member01')
    await waitActive(member1)
    await member1.goto(`${base}/vote`)
    await member1.locator(sel('vote-sheet-card')).first().waitFor()
    await noHorizontalScroll(member1, 'ballot list')
    await shot(member1, 'vote-list-375')
    state.receipt1 = await castBallot(member1, base, state.sheetId, 'satisfied', true)
    await shot(member1, 'vote-receipt-375')
    assertNoCsp('voting')
  })
  if (!ok) return

  ok = await step('the tally shows turnout 1, then member02 votes and it rises to 2 within a few seconds', async () => {
    currentPage = officer
    await officer.locator(sel('tally-voted'), { hasText: /^1$/ }).waitFor({ timeout: 5000 })
    currentPage = member2
    await login(member2, base, 'member02')
    await waitActive(member2)
    // the sheet page before voting, at phone width
    await member2.goto(`${base}/vote/${state.sheetId}`)
    await member2.locator(sel('vote-row')).first().waitFor()
    await shot(member2, 'vote-sheet-375')
    const t0 = Date.now()
    await castBallot(member2, base, state.sheetId, 'basically_satisfied', false)
    currentPage = officer
    await officer.locator(sel('tally-voted'), { hasText: /^2$/ }).waitFor({ timeout: 5000 })
    console.log(`       turnout 2 on the tally screen ${Date.now() - t0} ms after member02 started voting`)
    await shot(officer, 'tally-turnout-2')
  })
  if (!ok) return

  await step('member01 checks the receipt; a second ballot is refused', async () => {
    currentPage = member1
    await member1.locator(inputOf('input-receipt')).fill(state.receipt1.toLowerCase().replace(/-/g, ' '))
    await member1.locator(sel('receipt-check-submit')).click()
    const result = member1.locator(sel('receipt-result'))
    await result.waitFor()
    assert.match(await result.getAttribute('class'), /el-alert--success/)
    await member1.goto(`${base}/vote/${state.sheetId}`)
    await member1.locator(sel('vote-already')).waitFor()
    assert.equal(await member1.locator(sel('vote-row')).count(), 0, 'no ballot form after voting')
  })

  ok = await step('the officer closes the ballot on the meeting page; the tally screen shows the results', async () => {
    currentPage = officer
    const meetingPage = await officer.context().newPage()
    watchPage(meetingPage)
    currentPage = meetingPage
    await meetingPage.goto(`${base}/meetings/${state.meeting.id}`)
    await meetingPage.locator(sel('sheet-info')).waitFor()
    await meetingPage.locator(sel('draws-table')).locator('.el-table__row').first().waitFor()
    await shot(meetingPage, 'meeting-detail')
    await meetingPage.locator(sel('close-ballot')).click()
    await meetingPage.locator('.el-popconfirm .el-button--primary').last().click()
    await meetingPage.locator(sel('sheet-results')).waitFor()
    currentPage = officer
    await officer.locator(sel('tally-results')).waitFor({ timeout: 5000 })
    assert.equal(await officer.locator(sel('tally-state')).getAttribute('data-state'), 'closed')
    const card = officer.locator(sel('tally-result')).first()
    await card.locator(sel('grade-tag')).waitFor()
    const text = await card.innerText()
    assert.match(text, /满意/, `grade shown: ${text}`)
    assert.match(text, /%/, 'satisfaction rate shown')
    await officer.locator(`${sel('tally-results')} canvas`).first().waitFor()
    await officer.waitForTimeout(300)
    await shot(officer, 'tally-results')
    await meetingPage.close()
    assertNoCsp('tally results')
  })

  await step('review detail: timeline, votes with explanation, opinions', async () => {
    currentPage = officer
    await officer.goto(`${base}/reviews/${state.review.id}`)
    await officer.locator(sel('review-timeline')).waitFor()
    const current = await officer.locator(`${sel('timeline-item')}[data-status="current"]`).innerText()
    assert.match(current, /已测评/, `current stage: ${current}`)
    await shot(officer, 'review-detail')
    await officer.locator('#tab-votes').click()
    await officer.locator(sel('vote-explanation')).first().waitFor()
    await shot(officer, 'review-votes')
    await officer.locator('#tab-opinions').click()
    await officer.locator(`${sel('opinion-form')} textarea`).fill('加快政务服务系统对接，提高“一网通办”办结率。')
    await officer.locator(sel('opinion-add')).click()
    await officer.locator(`${sel('opinions-table')} .el-table__row`).first().waitFor()
    await shot(officer, 'review-opinions')
    if (await officer.locator('#tab-audit').count()) {
      await officer.locator('#tab-audit').click()
      await officer.locator(`${sel('audit-trail')} ${sel('audit-item')}`).first().waitFor()
      await shot(officer, 'review-audit-trail')
    } else {
      console.log('       the audit endpoint does not answer for reviews: no trail tab')
    }
    assertNoCsp('review detail')
  })

  ok = await step('findings for the tracker (review opinions delivered, else an inspection finding)', async () => {
    const c = state.congress
    const id = state.review.id
    try {
      await c.post(`/reviews/${id}/adopt`, { chairpersons_council: '第十次主任会议' })
      await c.post(`/reviews/${id}/deliver`, {
        recipients: ['official', 'unit', 'party_committee', 'government', 'organization_department'].map((recipient) => ({ recipient })),
      })
    } catch (e) {
      console.log(`       delivering the opinions failed (${e.message.slice(0, 160)}); opening an inspection finding instead`)
    }
    let items = (await c.get(`/findings?source_ref=review:${id}`)).items
    if (!items.length) {
      await c.post('/findings', {
        source_kind: 'inspection',
        source_ref: 'e2e:inspection-1',
        title: '政务服务事项办理超时',
        detail: '巡察发现 12 件政务服务事项超出承诺时限办结。',
        responsible_org_id: state.review.org_id,
        supervising_org_id: state.committee.id,
        deadline: { unit: 'calendar_days', amount: 20 },
      })
      items = (await c.get('/findings')).items
    }
    assert.ok(items.length > 0, 'a finding exists')
    state.finding = items[0]
    console.log(`       finding ${state.finding.id} due ${state.finding.due_on} (${state.finding.source_kind})`)
  })
  if (ok) {
    await step('the rectification tracker shows the finding with its days left', async () => {
      currentPage = officer
      await officer.goto(`${base}/findings`)
      const cell = officer.locator(`${sel('findings-table')} ${sel('days-left')}`).first()
      await cell.waitFor()
      const n = Number((await cell.innerText()).trim())
      assert.ok(Number.isInteger(n), `days left is a number: ${await cell.innerText()}`)
      const due = new Date(`${state.finding.due_on}T00:00:00+08:00`).getTime()
      const todayCst = new Date(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) + 'T00:00:00+08:00').getTime()
      assert.equal(n, Math.round((due - todayCst) / 86400e3), 'days left = due date − today (China time)')
      await shot(officer, 'findings')
      await officer.locator(`${sel('findings-table')} ${sel('finding-link')}`).first().click()
      await officer.waitForURL(/\/findings\/\d+$/)
      await officer.locator(sel('finding-days-left')).waitFor()
      await shot(officer, 'finding-detail')
      assertNoCsp('findings')
    })
  }

  await step('review plan, board, meetings, statistics and inbox pages render', async () => {
    currentPage = officer
    await officer.goto(`${base}/reviews/plan`)
    await officer.locator(`${sel('coverage-table')} .el-table__row`).first().waitFor()
    await officer.locator(sel('plan-summary')).waitFor()
    await officer.locator(sel('plan-unscheduled')).click()
    await shot(officer, 'review-plan')
    await officer.goto(`${base}/reviews`)
    await officer.locator(sel('board-card')).first().waitFor()
    assert.ok((await officer.locator(sel('board-column')).count()) >= 9, 'a column per stage group')
    await shot(officer, 'review-board')
    await officer.goto(`${base}/meetings`)
    await officer.locator(`${sel('meetings-table')} ${sel('meeting-link')}`).first().waitFor()
    await shot(officer, 'meetings')
    await officer.goto(`${base}/stats`)
    await officer.locator(sel('stats-figures')).waitFor()
    await officer.locator(`${sel('chart')} canvas`).first().waitFor()
    await officer.waitForTimeout(300)
    await shot(officer, 'stats')
    await officer.goto(`${base}/notifications`)
    await officer.locator(sel('inbox-table')).waitFor()
    await shot(officer, 'notifications')
    assertNoCsp('review pages')
  })

  await step('member02 sees the ballot notice under the bell and opens it', async () => {
    currentPage = member2
    await member2.setViewportSize({ width: 1360, height: 860 })
    await member2.goto(`${base}/notifications`)
    await member2.locator(sel('notice-link')).first().waitFor()
    await shot(member2, 'member-inbox')
    await member2.locator(sel('notice-link')).first().click()
    await member2.waitForURL(/\/vote\/\d+$/)
  })

  await step('public pages render without a session and never call the session endpoints', async () => {
    await state.congress.post(`/reviews/${state.review.id}/publish`, { published: true })
    const anon = await newPage(browser, MOBILE)
    currentPage = anon
    const calls = []
    anon.on('request', (r) => {
      const u = new URL(r.url())
      if (u.pathname.startsWith('/api/')) calls.push(u.pathname)
    })
    await anon.goto(`${base}/public/results`)
    await anon.locator(`${sel('public-results-table')} .el-table__row`).first().waitFor()
    assert.match(await anon.locator(sel('public-results-table')).innerText(), new RegExp(state.review.person_name))
    await noHorizontalScroll(anon, 'public results').catch(() => {}) // a wide table may scroll inside itself
    await shot(anon, 'public-results')
    await anon.goto(`${base}/public/reviews/${state.review.id}`)
    await anon.locator(sel('notice-title')).or(anon.locator('.el-result')).first().waitFor()
    if (await anon.locator(sel('public-opinion-form')).count()) {
      await anon.locator(`${sel('public-opinion-form')} textarea`).fill('希望进一步简化办事流程。')
      await anon.locator(sel('public-opinion-submit')).click()
      await anon.locator(sel('opinion-sent')).waitFor()
    }
    if (await anon.locator(sel('questionnaire-form')).count()) {
      const criteria = anon.locator(sel('criterion'))
      const n = await criteria.count()
      assert.equal(n, 6, 'six criteria')
      for (let i = 0; i < n; i++) await criteria.nth(i).locator('.el-radio-button').nth(i % 2).click()
      await anon.locator(sel('questionnaire-submit')).click()
      await anon.locator(sel('questionnaire-sent')).waitFor()
    }
    await noHorizontalScroll(anon, 'public notice')
    await shot(anon, 'public-notice')
    assert.deepEqual(calls.filter((p) => p.startsWith('/api/v1/auth') || p.startsWith('/api/v1/notifications')), [], `session calls: ${calls.join(', ')}`)
    assert.ok(calls.every((p) => p.startsWith('/api/v1/public/')), `only public endpoints: ${calls.join(', ')}`)
    assert.equal(new URL(anon.url()).pathname, `/public/reviews/${state.review.id}`, 'not sent to the sign-in page')
    assertNoCsp('public pages')
    await anon.context().close()
  })

  for (const p of [officer, member1, member2]) await p.context().close().catch(() => {})
  currentPage = null
}

// ---------- monitoring: datasets, rules, warnings ----------
function csvFile(name, text) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') }
}

async function uploadDataset(page, datasetTitle, file, mode = 'reject') {
  const options = await openSelect(page, 'dataset')
  await options.filter({ hasText: datasetTitle }).first().click()
  await page.locator(`${sel('field-mode')} ${sel(`mode-${mode}`)}`).click()
  await page.locator(`${sel('upload-file')} input[type=file]`).setInputFiles(file)
  await page.locator(sel('upload-file-name'), { hasText: file.name }).waitFor()
  await page.locator(sel('upload-submit')).click()
  await page.locator(`${sel('upload-result')}, ${sel('upload-error')}`).first().waitFor()
}

/** The rules page's row of one rule id. */
function ruleRow(page, id) {
  return page.locator(`${sel('rules-table')} .el-table__row`).filter({ has: page.locator(sel('rule-id'), { hasText: new RegExp(`^${id}$`) }) }).first()
}

/** Custom rules (copy of R01 as X01, a refused rule) and switching a built-in rule off. */
async function customRuleSteps(page) {
  const openRules = async () => {
    await page.locator(sel('nav-rules')).click()
    await page.waitForURL(/\/rules$/)
    await ruleRow(page, 'R01').waitFor()
  }
  const editor = page.locator(`${sel('rule-editor')}`)
  const textarea = page.locator(`textarea${sel("rule-toml-input")}, ${sel("rule-toml-input")} textarea`)

  await step('analyst copies R01 as custom rule X01 and it is listed as 自定义', async () => {
    await openRules()
    await ruleRow(page, 'R01').locator(sel('rule-view-btn')).click()
    const view = page.locator(sel('rule-toml'))
    await view.waitFor()
    assert.match(await view.innerText(), /id = "R01"/, 'the TOML is shown')
    await shot(page, 'rule-view')
    await page.locator(sel('rule-view-copy')).click()
    await textarea.waitFor()
    let toml = await textarea.inputValue()
    assert.match(toml, /^version = 1$/m, 'copy starts at version 1')
    toml = toml.replace(/^id = ".*"$/m, 'id = "X01"').replace(/^title = ".*"$/m, 'title = "死亡人员仍领取补贴资金（复核）"')
    await textarea.fill(toml)
    assert.match(await textarea.inputValue(), /（复核）/, 'the edited title is in the editor')
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/rules$/.test(r.url()) && r.request().method() === 'POST'),
      page.locator(sel('rule-save')).click(),
    ])
    assert.equal(res.status(), 201, `POST /rules: ${await res.text()}`)
    await editor.locator('.el-dialog').waitFor({ state: 'hidden' }).catch(() => {})
    await textarea.waitFor({ state: 'hidden' })
    const x01 = ruleRow(page, 'X01')
    await x01.waitFor()
    const source = x01.locator(sel('rule-source'))
    assert.equal(await source.getAttribute('data-source'), 'custom')
    assert.equal((await source.innerText()).trim(), '自定义')
    assert.ok((await x01.innerText()).includes('（复核）'), 'the new title is listed')
    await shot(page, 'rule-custom-saved')
    assertNoCsp('custom rule')
  })

  await step('saving a rule with an unknown column shows the error naming the line', async () => {
    await ruleRow(page, 'R01').locator(sel('rule-copy-btn')).click()
    await textarea.waitFor()
    const toml = (await textarea.inputValue()).replace(/^id = ".*"$/m, 'id = "X02"').replace(/^key = "payee_id"$/m, 'key = "payee_idd"')
    const line = toml.split('\n').findIndex((l) => l === 'key = "payee_idd"') + 1
    assert.ok(line > 0, 'the broken line is in the text')
    await textarea.fill(toml)
    await page.locator(sel('rule-save')).click()
    const err = page.locator(sel('rule-editor-error'))
    await err.waitFor()
    const text = await err.innerText()
    assert.match(text, /payee_idd/, `the column in: ${text}`)
    assert.ok(text.includes(`:${line})`), `line ${line} in: ${text}`)
    assert.ok(await textarea.isVisible(), 'the editor stays open')
    console.log(`       rule error: ${text.replace(/\s+/g, ' ').trim()}`)
    await shot(page, 'rule-invalid')
    await page.keyboard.press('Escape')
    await textarea.waitFor({ state: 'hidden' })
    assert.equal(await ruleRow(page, 'X02').count(), 0, 'nothing saved')
  })

  await step('analyst switches R02 off and it stays off after a reload', async () => {
    const sw = ruleRow(page, 'R02').locator(sel('rule-enabled'))
    assert.equal(await sw.getAttribute('data-enabled'), 'true', 'R02 starts enabled')
    const [saved] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/rules\/R02\/enabled$/.test(r.url()) && r.request().method() === 'POST'),
      sw.click(),
    ])
    assert.equal(saved.status(), 200)
    await page.locator(`${sel('rules-table')} .el-table__row`).filter({ has: page.locator(sel('rule-id'), { hasText: /^R02$/ }) }).locator(`${sel('rule-enabled')}[data-enabled="false"]`).waitFor()
    await page.reload()
    await ruleRow(page, 'R02').waitFor()
    assert.equal(await ruleRow(page, 'R02').locator(sel('rule-enabled')).getAttribute('data-enabled'), 'false', 'still off after reload')
    assert.equal(await ruleRow(page, 'R01').locator(sel('rule-enabled')).getAttribute('data-enabled'), 'true', 'R01 still on')
    assert.equal(await ruleRow(page, 'X01').locator(sel('rule-enabled')).getAttribute('data-enabled'), 'true', 'X01 on')
    assert.match(await page.locator(sel('rules-run')).innerText(), /运行已启用规则/)
    await shot(page, 'rule-disabled')
    assertNoCsp('rule switches')
  })
}

async function monitorScenario(browser, base) {
  const state = {}
  const seq = String(100 + Math.floor(Math.random() * 800))
  state.deceased = `42032219400101${seq}` + idCheckChar(`42032219400101${seq}`)
  const living17 = `42032219400102${seq}`
  const living = living17 + idCheckChar(living17)
  const analyst = await newPage(browser, { width: 1360, height: 860 })
  currentPage = analyst
  let ok = await step('analyst imports people and payments CSV files', async () => {
    await login(analyst, base, 'analyst')
    await waitActive(analyst)
    assert.equal(await analyst.locator(sel('nav-users')).count(), 0, 'analyst sees no user menu')
    await analyst.locator(sel('nav-datasets')).click()
    await analyst.waitForURL(/\/datasets$/)
    await analyst.locator(`${sel('datasets-table')} .el-table__row`).first().waitFor()
    state.peopleFile = `people-${seq}.csv`
    await uploadDataset(
      analyst,
      '人口与死亡登记',
      csvFile(state.peopleFile, `id_number,name,death_date\n${state.deceased},王德明,2024-03-10\n${living},李秀英,\n`),
    )
    await analyst.locator(sel('upload-rows'), { hasText: '2' }).waitFor()
    await analyst.locator(`${sel('versions-table')} ${sel('version-file')}`, { hasText: state.peopleFile }).waitFor()
    state.paymentsFile = `payments-${seq}.csv`
    await uploadDataset(
      analyst,
      '惠民惠农补贴发放',
      csvFile(state.paymentsFile, `payee_id,item,period,amount,paid_on,payer_org\n${state.deceased},高龄津贴,2024-05-01,100.00,2024-05-10,县民政局\n${living},高龄津贴,2024-05-01,100.00,2024-05-10,县民政局\n`),
    )
    await analyst.locator(sel('upload-result')).waitFor()
    await analyst.locator(`${sel('versions-table')} ${sel('version-file')}`, { hasText: state.paymentsFile }).waitFor()
    await shot(analyst, 'datasets-imported')
    assertNoCsp('datasets')
  })
  if (!ok) return

  await step('a file with an impossible date is refused, naming the line and column', async () => {
    const bad = `payments-bad-${seq}.csv`
    await uploadDataset(analyst, '惠民惠农补贴发放', csvFile(bad, `payee_id,item,period,amount,paid_on\n${living},高龄津贴,2023-02-01,80.00,2023-02-01\n${living},高龄津贴,2023-02-01,80.00,2023-02-30\n`))
    const err = analyst.locator(sel('upload-error'))
    await err.waitFor()
    const text = await err.innerText()
    assert.match(text, /line 3/, `the line in: ${text}`)
    assert.match(text, /paid_on/, `the column in: ${text}`)
    assert.equal(await analyst.locator(`${sel('versions-table')} ${sel('version-file')}`, { hasText: bad }).count(), 0, 'nothing imported')
    await shot(analyst, 'datasets-rejected')
  })

  ok = await step('analyst runs R01 and sees one new warning', async () => {
    await analyst.locator(sel('nav-rules')).click()
    await analyst.waitForURL(/\/rules$/)
    const row = analyst.locator(`${sel('rules-table')} .el-table__row`).filter({ has: analyst.locator(sel('rule-id'), { hasText: /^R01$/ }) })
    await row.first().waitFor()
    await row.first().locator('.el-checkbox').click()
    await analyst.locator(sel('rules-run'), { hasText: '1' }).waitFor()
    await analyst.locator(sel('rules-run')).click()
    await analyst.locator(sel('run-result')).waitFor()
    const r01 = analyst.locator(`${sel('run-table')} .el-table__row`).filter({ has: analyst.locator(sel('run-rule-id'), { hasText: 'R01' }) })
    assert.equal((await r01.locator(sel('run-fresh')).innerText()).trim(), '1', 'one new warning')
    await shot(analyst, 'rules-run')
    await analyst.locator(sel('run-to-warnings')).click()
    await analyst.waitForURL(/\/warnings$/)
    const subject = analyst.locator(`${sel('warnings-table')} ${sel('warning-subject')}`).first()
    await subject.waitFor()
    const masked = (await subject.innerText()).trim()
    assert.ok(masked.includes('*') && !masked.includes(state.deceased), `masked for the analyst: ${masked}`)
    await shot(analyst, 'warnings-analyst')
    assertNoCsp('rules')
  })
  if (ok) await customRuleSteps(analyst)
  await analyst.context().close()
  if (!ok) return

  const officer = await newPage(browser, { width: 1360, height: 860 })
  currentPage = officer
  await step('jiwei opens the warning, sees the ID number and verifies it', async () => {
    await login(officer, base, 'jiwei')
    await waitActive(officer)
    await officer.locator(sel('nav-warnings')).click()
    await officer.waitForURL(/\/warnings$/)
    const link = officer.locator(`${sel('warnings-table')} .el-table__row`).filter({ hasText: state.deceased }).locator(sel('warning-link'))
    await link.first().click()
    await officer.waitForURL(/\/warnings\/\d+$/)
    await officer.locator(sel('warning-subject'), { hasText: state.deceased }).waitFor()
    await officer.locator(sel('warning-evidence')).waitFor()
    await officer.locator(`${sel('warning-state')}[data-state="new"]`).waitFor()
    await shot(officer, 'warning-detail')
    await officer.locator(`${sel('verify-form')} textarea`).fill('经核查，该人员 2024 年 3 月死亡后仍领取高龄津贴，情况属实。')
    await officer.locator(sel('verify-submit')).click()
    await officer.locator(`${sel('warning-state')}[data-state="verified"]`).waitFor()
    await officer.locator(sel('warning-finished')).waitFor()
    assert.equal(await officer.locator(sel('warning-actions')).count(), 0, 'no actions once verified')
    await shot(officer, 'warning-verified')
    assertNoCsp('warning detail')
  })

  await step('the warning dashboard draws its charts', async () => {
    await officer.locator(sel('nav-warning-stats')).click()
    await officer.waitForURL(/\/warning-stats$/)
    await officer.locator(sel('warning-figures')).waitFor()
    await officer.locator(`${sel('chart')} canvas`).first().waitFor()
    await officer.waitForTimeout(300)
    await shot(officer, 'warning-dashboard')
    assertNoCsp('warning dashboard')
  })

  await step('the dashboard counts by organisation, drills down and back up, and opens the list', async () => {
    const api = await apiAs(base, 'congress')
    const county = (await api.get('/orgs')).items[0]
    const child = (await api.get(`/orgs?parent_id=${county.id}`)).items[0]
    const row = officer.locator(`${sel('warning-stats-orgs')} .el-table__row`).filter({ hasText: county.name })
    await row.waitFor()
    const own = (await api.get(`/warnings/stats?org_id=${county.id}`)).items.filter((i) => i.org_id === county.id).reduce((n, i) => n + i.count, 0)
    assert.ok(own > 0, 'the demo county raised warnings itself')
    assert.ok((await row.innerText()).includes(String(own)), `the county's own count ${own} is in its row`)
    // a child organisation's view: the breadcrumb leads back to the county
    await officer.goto(`${base}/warning-stats?org_id=${child.id}`)
    await officer.locator(sel('warning-stats-org'), { hasText: child.name }).waitFor()
    await officer.locator(sel('warning-stats-up'), { hasText: county.name }).click()
    await officer.waitForURL(new RegExp(`org_id=${county.id}$`))
    await row.waitFor()
    await row.locator(sel('warning-stats-list')).click()
    await officer.waitForURL(new RegExp(`/warnings\\?org_id=${county.id}$`))
    await officer.locator(`${sel('warnings-table')} ${sel('warning-org')}`, { hasText: county.name }).first().waitFor()
    await shot(officer, 'warnings-by-org')
    assertNoCsp('warnings by organisation')
  })
  await officer.context().close()
  currentPage = null
}

// ---------- main ----------
async function main() {
  mkdirSync(OUT, { recursive: true })
  const base = await startServer()
  console.log(`server at ${base}`)
  const profile = mkdtempSync(join(tmpdir(), 'jiandu-e2e-chromium-'))
  temps.push(profile)
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 860 },
    locale: 'zh-CN',
  })
  const page = context.pages()[0] || (await context.newPage())
  currentPage = page
  watchPage(page)

  await step('health check and CSP header', async () => {
    const r = await page.request.get(`${base}/healthz`)
    assert.equal(r.status(), 200)
    const index = await page.request.get(`${base}/`)
    const csp = index.headers()['content-security-policy'] || ''
    assert.match(csp, /script-src 'self'/, `CSP header on index.html: "${csp}"`)
  })
  const only = process.env.E2E_ONLY || ''
  if (!only || only === 'existing') {
    await congressScenario(page, base)
  }
  if (!only || only === 'supervision') {
    // several independent sessions (two members and an officer): contexts of a second browser
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    await supervisionScenario(browser, base)
    currentPage = page
  }
  if (!only || only === 'monitor') {
    if (!browser) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    await monitorScenario(browser, base)
    currentPage = page
  }
  if (only === 'supervision' || only === 'monitor') {
    await step('no CSP violations or page errors overall', async () => assertNoCsp('whole run'))
    return
  }
  await auditScenario(page, base)
  await securityScenario(page, base)
  await sysadminScenario(page, base)
  await wrongPasswordScenario(page, base)
  await step('no CSP violations or page errors overall', async () => assertNoCsp('whole run'))
}

async function cleanup() {
  if (context) await context.close().catch(() => {})
  if (browser) await browser.close().catch(() => {})
  await stopServer().catch(() => {})
  for (const d of temps) rmSync(d, { recursive: true, force: true })
}

const guard = setTimeout(() => {
  console.log('FAIL: e2e run exceeded its time limit')
  if (server) server.kill('SIGKILL')
  process.exit(1)
}, TOTAL_TIMEOUT_MS)

let fatal = null
try {
  await main()
} catch (err) {
  fatal = err
} finally {
  await cleanup()
  clearTimeout(guard)
}

const failed = results.filter((r) => !r.ok)
console.log('')
console.log('Jiandu web e2e summary')
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}`)
for (const r of failed) console.log(`\n--- ${r.name}\n${r.err && r.err.stack ? r.err.stack : r.err}`)
if (cspViolations.length) console.log(`\nCSP violations:\n  ${cspViolations.join('\n  ')}`)
if (pageErrors.length) console.log(`\nPage errors:\n  ${pageErrors.join('\n  ')}`)
if (fatal) console.log(`\nFATAL: ${fatal.stack || fatal}`)
console.log(`\nscreenshots: ${OUT}`)
const ok = !fatal && failed.length === 0 && results.length > 0
console.log(ok ? 'PASS' : 'FAIL')
console.log(`e2e: ${results.length - failed.length} passed, ${failed.length + (fatal ? 1 : 0)} failed`)
process.exit(ok ? 0 : 1)
