// Monitoring over HTTP on both backends: datasets imported as Excel would save them (GB18030
// CSV with Chinese headers), refused and quarantined imports, a rule run whose warning counts
// the test computes itself, repeat runs that deduplicate, masking by permission, the warning
// lifecycle into a rectification finding, statistics and the XLSX export.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { assertError, assertStatus, forEachBackend, freshIdNumber, unzip, url } from './harness.mjs'

const hex = (h) => Buffer.from(h, 'hex')
// "身份证号,姓名,死亡日期\r\n", "张三", "李四" in GB18030, as Excel saves CSV in China.
const GB_HEADER = hex('c9edb7ddd6a4bac52cd0d5c3fb2ccbc0cdf6c8d5c6da0d0a')
const GB_ZHANG = hex('d5c5c8fd')
const GB_LI = hex('c0eecbc4')

function gbPeople(alive, dead) {
  const parts = [GB_HEADER]
  for (const id of alive) parts.push(Buffer.from(`${id},`), GB_ZHANG, Buffer.from(',\r\n'))
  for (const [id, died] of dead) parts.push(Buffer.from(`${id},`), GB_LI, Buffer.from(`,${died}\r\n`))
  return Buffer.concat(parts)
}

forEachBackend('monitoring', (ctx) => {
  const upload = (client, query, bytes) => client.request('POST', url('/api/v1/dataset-versions',
    { org_id: ctx.county.id, name: `${query.dataset}.csv`, ...query }),
  { body: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), headers: { 'content-type': 'text/csv' } })
  const versions = async () => (await ctx.jiwei.get(url('/api/v1/dataset-versions',
    { org_id: ctx.county.id }))).json.items.length

  test('refused imports name the line and column and store nothing', async () => {
    const before = await versions()
    const good = freshIdNumber('19500101')
    const bad = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`  // wrong check character
    const cases = [
      [`id_number,name,death_date\n${good},甲,2023-02-30\n`, /line 2 death_date: 2023-02-30 is not a date/],
      [`id_number,name,death_date\n${bad},甲,\n`, /line 2 id_number: check character does not match/],
      [`id_number,name,备注\n${good},甲,x\n`, /header column 3 '备注'/],
      [`id_number,name,name\n${good},甲,乙\n`, /duplicated/],
      [`id_number,name,death_date\n${good},"甲,\n`, /truncated file/],
      [Buffer.from([0x82, 0xa0, 0x82, 0xa2, 0x0a, 0xff, 0xfe, 0x81, 0x40, 0x83, 0x41, 0x0a]), /UTF-8|GB18030|encoding/i],
    ]
    for (const [bytes, message] of cases) {
      const res = await upload(ctx.analyst, { dataset: 'people' }, bytes)
      assertError(res, 400, 'invalid_argument')
      assert.match(res.json.error.message, message)
    }
    // Amounts: correctly grouped thousands and full-width digits are read; "12,34" is not.
    const amounts = await upload(ctx.analyst, { dataset: 'payments' },
      `payee_id,item,period,amount,paid_on\n${good},低保金,2024-01-01,"12,34",2024-01-05\n`)
    assertError(amounts, 400, 'invalid_argument')
    assert.match(amounts.json.error.message, /amount: misplaced thousands separator/)
    assertError(await upload(ctx.analyst, { dataset: 'nonsense' }, 'a\n1\n'), 400,
      'invalid_argument', 'dataset')
    assertError(await upload(ctx.analyst, { dataset: 'people', mode: 'lenient' }, 'a\n'), 400,
      'invalid_argument', 'mode')
    assert.equal(await versions(), before, 'no version was stored')
  })

  test('a quarantine import keeps the good rows and lists the bad ones', async () => {
    const ok = freshIdNumber('19600101')
    const res = await upload(ctx.analyst, { dataset: 'people', mode: 'quarantine' },
      `id_number,name,death_date\n${ok},甲,\n${ok.slice(0, 17)}Z,乙,\n${ok},丙,2023-13-01\n`)
    assertStatus(res, 201)
    assert.equal(res.json.rows, 1)
    assert.equal(res.json.bad_rows, 2)
    const errors = await ctx.analyst.get(`/api/v1/dataset-versions/${res.json.id}/errors`)
    assertStatus(errors, 200)
    assert.deepEqual(errors.json.items.map((e) => [e.line, e.column]), [[3, 'id_number'], [4, 'death_date']])
  })

  test('R01 and R07 find exactly the planted cases; a second run adds nothing', async () => {
    // 4 living, 3 dead; payments: each dead person paid once after death and once before;
    // one living person paid twice for the same item and period (a duplicate, R07).
    const alive = [1, 2, 3, 4].map(() => freshIdNumber('19700101'))
    const dead = [1, 2, 3].map(() => [freshIdNumber('19350101'), '2024-03-10'])
    const people = await upload(ctx.analyst, { dataset: 'people' }, gbPeople(alive, dead))
    assertStatus(people, 201)
    assert.equal(people.json.encoding, 'GB18030')
    assert.equal(people.json.rows, 7)
    const rows = ['payee_id,item,period,amount,paid_on']
    for (const [id] of dead) {
      rows.push(`${id},低保金,2024-02-01,300.00,2024-02-05`)
      rows.push(`${id},低保金,2024-04-01,300.00,2024-04-05`)
    }
    for (const id of alive) rows.push(`${id},低保金,2024-04-01,"1,300.00",2024-04-05`)
    rows.push(`${alive[0]},低保金,2024-04-01,１３００.００,2024-04-06`)
    const pay = await upload(ctx.analyst, { dataset: 'payments' }, `${rows.join('\r\n')}\r\n`)
    assertStatus(pay, 201)
    assert.equal(pay.json.rows, rows.length - 1)

    const run = await ctx.analyst.post('/api/v1/rule-runs', { org_id: ctx.county.id, rules: ['R01', 'R07'] })
    assertStatus(run, 201)
    const by = Object.fromEntries(run.json.rules.map((r) => [r.rule_id, r]))
    assert.equal(by.R01.raised, dead.length)
    assert.equal(by.R01.fresh, dead.length)
    assert.equal(by.R07.raised, 1)
    const again = await ctx.analyst.post('/api/v1/rule-runs', { org_id: ctx.county.id, rules: ['R01', 'R07'] })
    assertStatus(again, 201)
    assert.equal(again.json.raised, dead.length + 1)
    assert.equal(again.json.fresh, 0)
    assertError(await ctx.analyst.post('/api/v1/rule-runs', { org_id: ctx.county.id, rules: ['R99'] }),
      400, 'invalid_argument', 'rules')

    // The demo county has warnings of its own: the ones this run raised first are ours.
    const list = await ctx.analyst.get(url('/api/v1/warnings',
      { org_id: ctx.county.id, rule_id: 'R01', limit: 200 }))
    assertStatus(list, 200)
    list.json.items = list.json.items.filter((w) => w.first_run_id === run.json.run_id)
    assert.equal(list.json.items.length, dead.length)
    for (const w of list.json.items) {
      assert.equal(w.level, 'red')
      assert.equal(w.times_seen, 2)
      assert.match(w.subjects[0].value, /^\d{4}\*{10}\d{3}[\dX]$/, 'masked for the analyst')
    }
    const revealed = await ctx.jiwei.get(`/api/v1/warnings/${list.json.items[0].id}`)
    assert.ok(dead.some(([id]) => id === revealed.json.subjects[0].value), 'unmasked with person.reveal')
    ctx.r01 = list.json.items
    ctx.r01All = (await ctx.analyst.get(url('/api/v1/warnings',
      { org_id: ctx.county.id, rule_id: 'R01', limit: 200 }))).json.items.length
    // Paging: one warning a page, the cursor leads to the next and the pages do not overlap.
    const first = await ctx.analyst.get(url('/api/v1/warnings', { org_id: ctx.county.id, limit: 1 }))
    assertStatus(first, 200)
    assert.equal(first.json.items.length, 1)
    assert.ok(first.json.next_cursor)
    const second = await ctx.analyst.get(url('/api/v1/warnings',
      { org_id: ctx.county.id, limit: 1, cursor: first.json.next_cursor }))
    assertStatus(second, 200)
    assert.notEqual(second.json.items[0].id, first.json.items[0].id)
  })

  test('a verified warning opens a finding; finished warnings are final', async () => {
    const [w1, w2] = ctx.r01
    assertError(await ctx.analyst.post(`/api/v1/warnings/${w1.id}/dismiss`, { reason: '误报' }),
      403, 'permission_denied')
    assertError(await ctx.jiwei.post(`/api/v1/warnings/${w1.id}/dismiss`, { reason: '' }),
      400, 'invalid_argument', 'reason')
    const assigned = await ctx.jiwei.post(`/api/v1/warnings/${w1.id}/assign`,
      { user_id: ctx.jiwei.session.user.id })
    assertStatus(assigned, 200)
    assert.equal(assigned.json.state, 'assigned')
    const verified = await ctx.jiwei.post(`/api/v1/warnings/${w1.id}/verify`, {
      note: '经核实，该人员已死亡，仍领取低保金。', responsible_org_id: ctx.civil.id,
      deadline: { unit: 'working_days', amount: 15 } })
    assertStatus(verified, 200)
    assert.equal(verified.json.state, 'verified')
    assert.ok(verified.json.finding_id)
    const finding = await ctx.jiwei.get(`/api/v1/findings/${verified.json.finding_id}`)
    assertStatus(finding, 200)
    assert.equal(finding.json.finding.source_kind, 'warning')
    assert.equal(finding.json.finding.source_ref, `warning:${w1.id}`)
    assertError(await ctx.jiwei.post(`/api/v1/warnings/${w1.id}/dismiss`, { reason: '重复' }),
      409, 'failed_precondition', 'state')
    const dismissed = await ctx.jiwei.post(`/api/v1/warnings/${w2.id}/dismiss`, { reason: '户籍信息有误，已更正' })
    assertStatus(dismissed, 200)
    assert.equal(dismissed.json.state, 'dismissed')
  })

  test('an organisation writes its own rule and switches a built-in one off', async () => {
    const rules = await ctx.analyst.get('/api/v1/rules')
    assertStatus(rules, 200)
    const r01 = rules.json.items.find((r) => r.id === 'R01')
    assert.equal(r01.source, 'builtin')
    assert.equal(r01.enabled, true)
    // The analyst copies R01 as X07 with another level.
    const own = r01.toml.replace('id = "R01"', 'id = "X07"').replace('level = "red"', 'level = "orange"')
    const saved = await ctx.analyst.post('/api/v1/rules', { org_id: ctx.county.id, toml: own })
    assertStatus(saved, 201)
    assert.equal(saved.json.source, 'custom')
    assert.equal(saved.json.level, 'orange')
    const clash = await ctx.analyst.post('/api/v1/rules', { org_id: ctx.county.id, toml: r01.toml })
    assertError(clash, 400, 'invalid_argument', 'toml')
    assert.match(clash.json.error.message, /built-in/)
    const badColumn = await ctx.analyst.post('/api/v1/rules', { org_id: ctx.county.id,
      toml: own.replace('id = "X07"', 'id = "X08"').replace('"payee_id"', '"payee_idd"') })
    assertError(badColumn, 400, 'invalid_argument', 'toml')
    assert.match(badColumn.json.error.message, /X08\.toml:\d+.*payee_idd/)
    assertError(await ctx.viewer.post('/api/v1/rules', { org_id: ctx.county.id, toml: own }),
      403, 'permission_denied')
    // R07 off; a run of the enabled rules includes X07 and not R07.
    const off = await ctx.analyst.post('/api/v1/rules/R07/enabled', { org_id: ctx.county.id, enabled: false })
    assertStatus(off, 200)
    assert.equal(off.json.enabled, false)
    assertError(await ctx.analyst.post('/api/v1/rules/NOPE/enabled', { org_id: ctx.county.id, enabled: false }),
      404, 'not_found')
    const run = await ctx.analyst.post('/api/v1/rule-runs', { org_id: ctx.county.id, rules: [] })
    assertStatus(run, 201)
    const ran = run.json.rules.map((r) => r.rule_id)
    assert.ok(ran.includes('X07'), ran.join(','))
    assert.ok(!ran.includes('R07'), ran.join(','))
    assert.equal(run.json.rules.find((r) => r.rule_id === 'X07').raised,
      run.json.rules.find((r) => r.rule_id === 'R01').raised, 'X07 is R01 under another id')
    const listed = (await ctx.analyst.get('/api/v1/rules')).json.items
    assert.equal(listed.find((r) => r.id === 'R07').enabled, false)
    assert.equal(listed.find((r) => r.id === 'X07').source, 'custom')
    // Switch R07 back on for the tests that follow.
    assertStatus(await ctx.analyst.post('/api/v1/rules/R07/enabled', { org_id: ctx.county.id, enabled: true }), 200)
  })

  test('statistics and the XLSX export agree with the list', async () => {
    const stats = await ctx.analyst.get(url('/api/v1/warnings/stats', { org_id: ctx.county.id }))
    assertStatus(stats, 200)
    const count = (pred) => stats.json.items.filter(pred).reduce((n, s) => n + s.count, 0)
    // Counted under the county itself or one of its children (the roll-up for drilling down).
    assert.equal(stats.json.org_id, ctx.county.id)
    assert.equal(stats.json.org_name, ctx.county.name)
    assert.ok(stats.json.items.every((s) => s.org_id === ctx.county.id && s.org_name === ctx.county.name),
      'the warnings were raised at the county itself')
    const below = await ctx.analyst.get(url('/api/v1/warnings/stats', { org_id: ctx.civil.id }))
    assertStatus(below, 200)
    assert.deepEqual([below.json.org_id, below.json.items], [ctx.civil.id, []])
    const listed = await ctx.analyst.get(url('/api/v1/warnings', { org_id: ctx.county.id, limit: 1 }))
    assert.equal(listed.json.items[0].org_name, ctx.county.name)
    assert.equal(count((s) => s.rule_id === 'R01'), ctx.r01All)
    assert.equal(count((s) => s.rule_id === 'R01' && s.state === 'verified'), 1)
    assert.equal(count((s) => s.rule_id === 'R01' && s.state === 'dismissed'), 1)
    const xlsx = await ctx.analyst.get(url('/api/v1/warnings/export', { org_id: ctx.county.id }))
    assertStatus(xlsx, 200)
    const strings = unzip(xlsx.bytes).get('xl/sharedStrings.xml').toString('utf8')
    assert.ok(strings.includes('R07'))
    assert.ok(strings.includes('死亡人员仍领取补贴资金'))
    // Viewers have no warning.read.
    assertError(await ctx.viewer.get('/api/v1/warnings'), 403, 'permission_denied')
  })
}, {
  async setup(ctx) {
    const s = ctx.server
    ctx.analyst = await s.signIn('analyst')
    ctx.jiwei = await s.signIn('jiwei')
    ctx.viewer = await s.signIn('viewer')
    ctx.county = (await ctx.jiwei.get('/api/v1/orgs')).json.items[0]
    const children = await ctx.jiwei.get(url('/api/v1/orgs', { parent_id: ctx.county.id }))
    const all = [...children.json.items]
    for (const o of children.json.items.filter((c) => c.has_children)) {
      all.push(...(await ctx.jiwei.get(url('/api/v1/orgs', { parent_id: o.id }))).json.items)
    }
    ctx.civil = all.find((o) => o.kind === 'government_department')
    assert.ok(ctx.civil, 'the demo county has a government department')
  },
})

// The server runs the organisation's rules by itself once imports stop for --rule-run-delay.
forEachBackend('rules run by themselves after imports', (ctx) => {
  test('an upload of people and payments raises R01 with no explicit run', async () => {
    const analyst = await ctx.server.signIn('analyst')
    const county = (await analyst.get('/api/v1/orgs')).json.items[0]
    const dead = freshIdNumber('19360101')
    const post = (dataset, body) => analyst.request('POST', url('/api/v1/dataset-versions',
      { dataset, org_id: county.id, name: `${dataset}.csv` }),
    { body: Buffer.from(body), headers: { 'content-type': 'text/csv' } })
    const before = (await analyst.get(url('/api/v1/warnings', { rule_id: 'R01', limit: 100 }))).json.items.length
    assertStatus(await post('people', `id_number,name,death_date\n${dead},赵六,2024-01-15\n`), 201)
    assertStatus(await post('payments', `payee_id,item,period,amount,paid_on\n${dead},低保金,2024-03-01,300.00,2024-03-05\n`), 201)
    let after = before
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 200))
      after = (await analyst.get(url('/api/v1/warnings', { rule_id: 'R01', limit: 100 }))).json.items.length
    }
    assert.equal(after, before + 1, 'one new R01 warning within 20 s, with no rule run requested')
    const newest = (await analyst.get(url('/api/v1/warnings', { rule_id: 'R01', limit: 1 }))).json.items[0]
    assert.equal(newest.subjects[0].value.slice(-4), dead.slice(-4), 'the warning names the dead payee (masked)')
  })
}, { args: ['--rule-run-delay', '1'] })
