// The registry's happy paths over HTTP: browsing the organisation tree, listing and searching
// people, registering and updating a person, revealing personal data (audited), positions and
// an appointment from creation to its end, with the audit trails of both.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  appointmentBody, assertError, assertStatus, createPerson, demoOrgs, forEachBackend,
  freshIdNumber, idCheckChar, url,
} from './harness.mjs'

const COUNTY_CHILDREN = ['郧西县人民代表大会', '郧西县人大常委会', '郧西县纪委监委', '郧西县人民政府',
  '郧西县人民法院', '郧西县人民检察院']

function masked(id) {
  return `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}`
}

function toFullWidth(s) {
  return s.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
}

// An ID number of region 420322 ending in the check character X.
function idEndingInX() {
  for (let seq = 10; ; seq++) {
    const first17 = `42032219850612${String(seq).padStart(3, '0')}`
    if (idCheckChar(first17) === 'X') return `${first17}X`
  }
}

async function trail(client, type, id) {
  const res = await client.get(url('/api/v1/audit/events', { entity_type: type, entity_id: id }))
  assertStatus(res, 200)
  return res.json.items
}

forEachBackend('registry happy paths', (ctx) => {
  const t = ctx

  async function newPosition(title) {
    const res = await t.congress.post('/api/v1/positions',
      { org_id: t.finance.id, title, category: 'other' })
    assertStatus(res, 201)
    return res.json
  }
  test('GET /orgs is the caller\'s own organisation; parent_id lists children', async () => {
    const root = await t.congress.get('/api/v1/orgs')
    assertStatus(root, 200)
    assert.equal(root.json.items.length, 1)
    const county = root.json.items[0]
    assert.equal(county.name, '郧西县')
    assert.equal(county.code, '420322')
    assert.equal(county.kind, 'region')
    assert.equal(county.region_code, '420322')
    assert.equal(county.has_children, true)
    assert.equal(root.json.next_cursor, undefined)

    const children = await t.congress.get(url('/api/v1/orgs', { parent_id: county.id }))
    assertStatus(children, 200)
    assert.deepEqual(children.json.items.map((o) => o.name).sort(), [...COUNTY_CHILDREN].sort())
    for (const o of children.json.items) {
      assert.equal(o.parent_id, county.id)
      assert.equal(o.path, `${county.path}${o.id}/`)
      assert.equal(o.depth, county.depth + 1)
    }
    const gov = await t.congress.get(url('/api/v1/orgs', { parent_id: t.gov.id }))
    assertStatus(gov, 200)
    assert.equal(gov.json.items.length, 29, '3 townships and 26 departments')
    const finance = gov.json.items.find((o) => o.name === '郧西县财政局')
    assert.equal(finance.kind, 'government_department')
    assert.equal(finance.has_children, false)
  })

  test('GET /orgs/{id} has the ancestors inside the caller\'s scope only', async () => {
    const res = await t.congress.get(`/api/v1/orgs/${t.finance.id}`)
    assertStatus(res, 200)
    assert.equal(res.json.name, '郧西县财政局')
    assert.equal(res.json.parent_id, t.gov.id)
    assert.deepEqual(res.json.ancestors.map((a) => a.name).sort(), ['郧西县', '郧西县人民政府'].sort())
    assert.deepEqual(new Set(res.json.ancestors.map((a) => a.id)), new Set([t.county.id, t.gov.id]))

    // The liaison of the finance bureau sees it as the root, with no ancestors.
    const liaison = await ctx.server.signIn('caizheng')
    const own = await liaison.get('/api/v1/orgs')
    assert.deepEqual(own.json.items.map((o) => o.id), [t.finance.id])
    const detail = await liaison.get(`/api/v1/orgs/${t.finance.id}`)
    assertStatus(detail, 200)
    assert.deepEqual(detail.json.ancestors, [])
    assertError(await liaison.get(`/api/v1/orgs/${t.gov.id}`), 404, 'not_found')
  })

  test('GET /orgs?q= searches names within scope', async () => {
    const res = await t.congress.get(url('/api/v1/orgs', { q: '财政' }))
    assertStatus(res, 200)
    assert.ok(res.json.items.some((o) => o.id === t.finance.id))
    for (const o of res.json.items) assert.ok(o.name.includes('财政'), o.name)
    const none = await (await ctx.server.signIn('viewer')).get(url('/api/v1/orgs', { q: '人大' }))
    assertStatus(none, 200)
    assert.deepEqual(none.json.items, [], 'the viewer at the government does not see the congress')
  })

  test('people pages: following next_cursor visits every person once, newest first', async () => {
    const all = await t.congress.get(url('/api/v1/people', { limit: 200 }))
    assertStatus(all, 200)
    assert.ok(all.json.items.length >= 69, `${all.json.items.length} people`)
    assert.equal(all.json.next_cursor, undefined)

    const seen = []
    let cursor
    let pages = 0
    do {
      const page = await t.congress.get(url('/api/v1/people', { limit: 7, cursor }))
      assertStatus(page, 200)
      assert.ok(page.json.items.length <= 7)
      if (page.json.next_cursor !== undefined) assert.equal(page.json.items.length, 7)
      seen.push(...page.json.items)
      cursor = page.json.next_cursor
      pages += 1
      assert.ok(pages < 100, 'the cursor never ends')
    } while (cursor !== undefined)
    const ids = seen.map((p) => p.id)
    assert.equal(new Set(ids).size, ids.length, 'no person twice')
    assert.deepEqual(ids, all.json.items.map((p) => p.id))
    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i - 1].created_at >= seen[i].created_at, 'newest first')
    }
    for (const p of seen) assert.match(p.id_number, /^\d{4}\*{10}[\dX]{4}$/)
  })

  test('search by a two-character name and by a one-character part of it', async () => {
    const p = await createPerson(t.congress, { name: '贺敏', org_id: t.committee.id })
    for (const q of ['贺敏', '贺']) {
      const res = await t.congress.get(url('/api/v1/people', { q }))
      assertStatus(res, 200)
      assert.ok(res.json.items.some((x) => x.id === p.id), `q=${q}`)
      for (const x of res.json.items) assert.ok(x.name.includes(q), x.name)
    }
    const none = await t.congress.get(url('/api/v1/people', { q: '欧阳锋' }))
    assertStatus(none, 200)
    assert.deepEqual(none.json.items, [])
  })

  test('search by ID number: exact, full-width digits, lower-case x, 15-digit form', async () => {
    const id = idEndingInX()
    const p = await createPerson(t.congress, { name: '郝思远', id_number: id, org_id: t.committee.id })
    assert.equal(p.id_number, masked(id))
    const spellings = [id, toFullWidth(id), id.toLowerCase(), toFullWidth(id.toLowerCase()),
      ` ${id} `]
    for (const s of spellings) {
      const res = await t.congress.get(url('/api/v1/people', { id_number: s }))
      assertStatus(res, 200)
      assert.deepEqual(res.json.items.map((x) => x.id), [p.id], `id_number=${s}`)
    }
    // A registration with the old 15-digit number is stored upgraded to 18 digits.
    const first17 = '420322196505070' + '31'
    const full = first17 + idCheckChar(first17)
    const old = await createPerson(t.congress, { name: '晏青', id_number: '420322650507031',
      org_id: t.committee.id })
    assert.equal(old.id_number, masked(full))
    assert.equal(old.birth_date, '1965-05-07')
    const found = await t.congress.get(url('/api/v1/people', { id_number: full }))
    assert.deepEqual(found.json.items.map((x) => x.id), [old.id])
  })

  test('register, read and update a person; a stale version is 409', async () => {
    const id = freshIdNumber('19780915') // the sequence's parity decides the gender
    const res = await t.congress.post('/api/v1/people', {
      name: '欧阳明', id_number: id, ethnicity: '土家族', phone: '13800138000',
      org_id: t.committee.id, notes: '首次登记',
    })
    assertStatus(res, 201)
    const p = res.json
    assert.equal(p.name, '欧阳明')
    assert.equal(p.id_number, masked(id))
    assert.equal(p.phone, '138****8000')
    assert.equal(p.gender, Number(id[16]) % 2 === 1 ? 'male' : 'female')
    assert.equal(p.birth_date, `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)
    assert.equal(p.ethnicity, '土家族')
    assert.equal(p.org_id, t.committee.id)
    assert.equal(p.org_name, '郧西县人大常委会')
    assert.equal(p.notes, '首次登记')
    assert.equal(p.version, 1)
    assert.match(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)

    const got = await t.congress.get(`/api/v1/people/${p.id}`)
    assertStatus(got, 200)
    assert.deepEqual(got.json, p)

    const upd = await t.congress.patch(`/api/v1/people/${p.id}`,
      { version: 1, notes: '已核对', phone: '027-87654321' })
    assertStatus(upd, 200)
    assert.equal(upd.json.version, 2)
    assert.equal(upd.json.notes, '已核对')
    assert.equal(upd.json.name, '欧阳明')
    assert.notEqual(upd.json.phone, '027-87654321', 'the phone stays masked')

    const stale = await t.congress.patch(`/api/v1/people/${p.id}`, { version: 1, notes: '覆盖' })
    assertError(stale, 409)
    const after = await t.congress.get(`/api/v1/people/${p.id}`)
    assert.equal(after.json.notes, '已核对')
    assert.equal(after.json.version, 2)

    // The person's trail, newest first: the update, then the registration; fields, no values.
    const events = await trail(t.congress, 'person', p.id)
    assert.deepEqual(events.map((e) => e.action).slice(-1), ['person.create'])
    assert.equal(events.length, 2, JSON.stringify(events))
    assert.ok(events[0].seq > events[1].seq)
    assert.ok(events[0].fields.includes('notes') && events[0].fields.includes('phone'))
    for (const e of events) {
      assert.equal(e.entity_type, 'person')
      assert.equal(String(e.entity_id), String(p.id))
      assert.equal(e.actor, `user:${t.congress.session.user.id}`)
    }
    const text = JSON.stringify(events)
    for (const value of [id, '87654321', '已核对', '首次登记']) assert.ok(!text.includes(value), value)
  })

  test('reveal shows the full ID number and phone, and is audited; a deputy gets 403', async () => {
    const id = freshIdNumber('19760520')
    const person = await createPerson(t.congress, { name: '韦清', id_number: id,
      phone: '027-87654321', org_id: t.committee.id })
    const before = await trail(t.congress, 'person', person.id)
    const res = await t.congress.post(`/api/v1/people/${person.id}/reveal`,
      { fields: ['id_number', 'phone'] })
    assertStatus(res, 200)
    assert.deepEqual(res.json, { id_number: id, phone: '027-87654321' })
    const only = await t.congress.post(`/api/v1/people/${person.id}/reveal`, { fields: ['phone'] })
    assertStatus(only, 200)
    assert.deepEqual(only.json, { phone: '027-87654321' })

    const after = await trail(t.congress, 'person', person.id)
    assert.equal(after.length, before.length + 2)
    const reveal = after[1]
    assert.equal(reveal.action, 'person.reveal')
    assert.equal(reveal.actor, `user:${t.congress.session.user.id}`)
    assert.equal(reveal.actor_name, t.congress.session.user.display_name)
    assert.deepEqual([...reveal.fields].sort(), ['id_number', 'phone'])
    assert.equal(after[0].action, 'person.reveal')
    assert.deepEqual(after[0].fields, ['phone'])
    // The trail names fields, never their values.
    assert.ok(!JSON.stringify(after).includes(id))
    assert.ok(!JSON.stringify(after).includes('87654321'))

    const deputy = await ctx.server.signIn('deputy')
    assertError(await deputy.post(`/api/v1/people/${person.id}/reveal`, { fields: ['id_number'] }),
      403, 'permission_denied')
    const seen = await deputy.get(`/api/v1/people/${person.id}`)
    assertStatus(seen, 200)
    assert.equal(seen.json.id_number, masked(id))
    assert.equal((await trail(t.congress, 'person', person.id)).length, after.length)
  })

  test('positions of an organisation; create one', async () => {
    const list = await t.congress.get(url('/api/v1/positions', { org_id: t.finance.id }))
    assertStatus(list, 200)
    const byTitle = new Map(list.json.items.map((p) => [p.title, p]))
    assert.equal(byTitle.get('局长').category, 'head')
    assert.equal(byTitle.get('局长').active_holders, 1)
    assert.equal(byTitle.get('副局长').category, 'deputy_head')
    for (const p of list.json.items) {
      assert.equal(p.org_id, t.finance.id)
      assert.equal(p.org_name, '郧西县财政局')
    }
    const created = await t.congress.post('/api/v1/positions',
      { org_id: t.finance.id, title: '总会计师', category: 'other' })
    assertStatus(created, 201)
    assert.equal(created.json.title, '总会计师')
    assert.equal(created.json.category, 'other')
    assert.equal(created.json.active_holders, 0)
    const again = await t.congress.get(url('/api/v1/positions', { org_id: t.finance.id }))
    assert.equal(again.json.items.length, list.json.items.length + 1)
    assert.ok(again.json.items.some((p) => p.id === created.json.id))
  })

  test('appoint with the pre-appointment record, update, end; active lists follow', async () => {
    const position = await newPosition('总经济师')
    const p = await createPerson(t.congress, { name: '黎明远', org_id: t.committee.id })
    const body = appointmentBody({ person_id: p.id, position_id: position.id,
      appointing_body_id: t.committee.id })
    const res = await t.congress.post('/api/v1/appointments', body)
    assertStatus(res, 201)
    const a = res.json
    assert.equal(a.person_id, p.id)
    assert.equal(a.person_name, '黎明远')
    assert.equal(a.position_id, position.id)
    assert.equal(a.position_title, '总经济师')
    assert.equal(a.org_id, t.finance.id)
    assert.equal(a.org_name, '郧西县财政局')
    assert.equal(a.appointing_body_id, t.committee.id)
    assert.equal(a.appointing_body_name, '郧西县人大常委会')
    assert.equal(a.decision_type, 'appointed')
    assert.equal(a.meeting, body.meeting)
    assert.equal(a.appointed_on, '2024-03-15')
    assert.equal(a.term_end, '2026-12-31')
    assert.equal(a.ended_on, null)
    assert.equal(a.end_reason, null)
    assert.equal(a.version, 1)
    assert.deepEqual(a.pre_appointment, {
      exam_score: 82, exam_pass_mark: 60, exam_taken_on: '2024-03-01', resit_score: null,
      resit_taken_on: null, exam_exemption: null, statement_on: '2024-03-15', oath_on: '2024-03-15',
    })
    const got = await t.congress.get(`/api/v1/appointments/${a.id}`)
    assertStatus(got, 200)
    assert.deepEqual(got.json, a)

    const active = async () => (await t.congress.get(url('/api/v1/appointments',
      { person_id: p.id, active: true }))).json.items.map((x) => x.id)
    const holders = async () => (await t.congress.get(url('/api/v1/positions',
      { org_id: t.finance.id }))).json.items.find((x) => x.id === position.id).active_holders
    assert.deepEqual(await active(), [a.id])
    assert.equal(await holders(), 1)
    const inOrg = await t.congress.get(url('/api/v1/appointments',
      { org_id: t.gov.id, limit: 200 }))
    assert.ok(inOrg.json.items.some((x) => x.id === a.id), 'listed under an ancestor org')

    const upd = await t.congress.patch(`/api/v1/appointments/${a.id}`,
      { version: 1, meeting: '郧西县第十九届人民代表大会常务委员会第十次会议' })
    assertStatus(upd, 200)
    assert.equal(upd.json.version, 2)
    assertError(await t.congress.patch(`/api/v1/appointments/${a.id}`,
      { version: 1, meeting: '旧版本' }), 409)

    const end = await t.congress.post(`/api/v1/appointments/${a.id}/end`,
      { version: 2, ended_on: '2025-06-30', end_reason: 'resigned', end_note: '本人申请辞去职务' })
    assertStatus(end, 200)
    assert.equal(end.json.ended_on, '2025-06-30')
    assert.equal(end.json.end_reason, 'resigned')
    assert.equal(end.json.end_note, '本人申请辞去职务')
    assert.deepEqual(await active(), [])
    assert.equal(await holders(), 0)
    const all = await t.congress.get(url('/api/v1/appointments', { person_id: p.id }))
    assert.deepEqual(all.json.items.map((x) => x.id), [a.id], 'ended, still listed')

    // The appointment's trail, newest first: end, update, creation.
    const me = t.congress.session.user
    const events = await trail(t.congress, 'appointment', a.id)
    assert.equal(events.length, 3, JSON.stringify(events))
    for (const e of events) {
      assert.equal(e.entity_type, 'appointment')
      assert.equal(String(e.entity_id), String(a.id))
      assert.equal(e.actor, `user:${me.id}`)
      assert.equal(e.actor_name, me.display_name)
      assert.match(e.hash, /^[0-9a-f]{64}$/)
      assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    }
    assert.ok(events[0].seq > events[1].seq && events[1].seq > events[2].seq)
    assert.ok(events[0].fields.includes('ended_on') && events[0].fields.includes('end_reason'))
    assert.ok(events[1].fields.includes('meeting'))
    assert.ok(events[2].fields.includes('position_id'))
    assert.ok(!JSON.stringify(events).includes('本人申请'), 'no values in the trail')
  })

  test('the audit administrator reads every event in scope and verifies the chain', async () => {
    const audit = await ctx.server.signIn('auditadmin')
    const person = await createPerson(t.congress, { name: '阮静', org_id: t.committee.id })
    const page = await audit.get(url('/api/v1/audit/events', { limit: 20 }))
    assertStatus(page, 200)
    assert.equal(page.json.items[0].entity_type, 'person')
    assert.equal(String(page.json.items[0].entity_id), String(person.id), 'newest first')
    for (let i = 1; i < page.json.items.length; i++) {
      assert.ok(page.json.items[i - 1].seq > page.json.items[i].seq)
    }
    const verify = await audit.post('/api/v1/audit/verify', {})
    assertStatus(verify, 200)
    assert.equal(verify.json.ok, true)
    assert.equal(verify.json.first_broken_seq, null)
    assert.ok(verify.json.events_checked >= page.json.items[0].seq)
  })
}, {
  async setup(ctx) {
    ctx.congress = await ctx.server.signIn('congress')
    const orgs = await demoOrgs(ctx.congress)
    ctx.county = orgs.get('郧西县')
    ctx.committee = orgs.get('郧西县人大常委会')
    ctx.gov = orgs.get('郧西县人民政府')
    ctx.finance = orgs.get('郧西县财政局')
    assert.ok(ctx.county && ctx.committee && ctx.gov && ctx.finance)
  },
})
