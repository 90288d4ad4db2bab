// Bad input of every kind is refused with a 4xx whose error.field names the culprit, and
// nothing is written: the newest audit event (every write leaves one) and the affected lists
// are the same before and after. Also: records of another branch look exactly like missing ones.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  appointmentBody, assertError, assertStatus, checkEach, createPerson, demoOrgs, forEachBackend,
  freshIdNumber, idCheckChar, idNumber, url,
} from './harness.mjs'

function toFullWidth(s) {
  return s.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
}

function withCheck(first17) {
  return first17 + idCheckChar(first17)
}

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)
}

// Signs in the users, finds the demo organisations and adds a town with its own people's
// congress (which elects the town's head) and an officer working there.
async function setup(t) {
  t.congress = await t.server.signIn('congress')
  t.audit = await t.server.signIn('auditadmin')
  t.orgs = await demoOrgs(t.congress)
  t.committee = t.orgs.get('郧西县人大常委会')
  t.gov = t.orgs.get('郧西县人民政府')
  t.finance = t.orgs.get('郧西县财政局')
  t.education = t.orgs.get('郧西县教育局')
  t.town = t.orgs.get('郧西县城关镇')
  t.city = (await t.congress.get(`/api/v1/orgs/${t.orgs.get('郧西县').id}`)).json.parent_id
  assert.ok(t.committee && t.gov && t.finance && t.education && t.town && t.city)

  // The town's people's congress elects the town's head; an officer works at the town.
  const sys = await t.server.signIn('sysadmin')
  const tc = await sys.post('/api/v1/orgs', { parent_id: t.town.id, code: '420322.xz1.rd',
    name: '城关镇人民代表大会', kind: 'peoples_congress', region_code: '420322' })
  assertStatus(tc, 201)
  t.townCongress = tc.json
  const sec = await t.server.signIn('secadmin')
  assertStatus(await sec.post('/api/v1/users', { username: 'town.officer',
    display_name: '城关镇人大主席团 干事', role: 'congress_officer', org_id: t.town.id,
    password: 'town-officer-pass-2026' }), 201)
  t.townOfficer = await t.server.signIn('town.officer', { password: 'town-officer-pass-2026' })
  const pos = await t.congress.post('/api/v1/positions',
    { org_id: t.town.id, title: '镇长', category: 'head' })
  assertStatus(pos, 201)
  t.townHead = pos.json
  const dep = await t.congress.post('/api/v1/positions',
    { org_id: t.town.id, title: '副镇长', category: 'deputy_head' })
  assertStatus(dep, 201)
  t.townDeputy = dep.json
  const fpos = await t.congress.get(url('/api/v1/positions', { org_id: t.finance.id }))
  t.financeHead = fpos.json.items.find((p) => p.title === '局长')
  t.financeDeputy = fpos.json.items.find((p) => p.title === '副局长')
}

forEachBackend('bad input is refused and writes nothing', (ctx) => {
  const t = ctx

  // The seq of the newest audit event: unchanged means nothing was written.
  async function newestSeq() {
    const res = await t.audit.get(url('/api/v1/audit/events', { limit: 1 }))
    assertStatus(res, 200)
    return res.json.items[0].seq
  }

  async function peopleCount() {
    const res = await t.congress.get(url('/api/v1/people', { limit: 200 }))
    assertStatus(res, 200)
    assert.equal(res.json.next_cursor, undefined, 'more than 200 people: page through them')
    return res.json.items.length
  }

  // Runs `fn` (which makes the bad requests and checks their answers) and then checks that
  // neither the audit log nor the number of people changed.
  async function writesNothing(fn) {
    const seq = await newestSeq()
    const people = await peopleCount()
    await fn()
    assert.equal(await newestSeq(), seq, 'an audit event was written')
    assert.equal(await peopleCount(), people, 'the number of people changed')
  }

  function person(fields = {}) {
    return { name: '石磊', id_number: freshIdNumber('19810706'), org_id: t.committee.id, ...fields }
  }

  test('ID numbers: bad check digit, unknown region, future or impossible birth', async () => {
    const good = freshIdNumber('19800808')
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const bad = [
      wrongCheck,
      withCheck('99010119800808123'), // no such region in GB/T 2260
      withCheck('00000019800808123'),
      withCheck('42032220900101123'), // born in 2090
      withCheck(`420322${isoDay(2).replaceAll('-', '')}123`), // born the day after tomorrow
      withCheck('42032219810230123'), // 30 February
      withCheck('42032219811301123'), // month 13
      good.slice(0, 17), // 17 characters
      `${good}1`, // 19 characters
      'ABCDEFGHIJKLMNOPQR',
      '',
    ]
    await writesNothing(async () => {
      await checkEach(bad, async (id) => assertError(
        await t.congress.post('/api/v1/people', person({ id_number: id })),
        400, 'invalid_argument', 'id_number'))
    })
    // Control: the well-formed number is accepted.
    assertStatus(await t.congress.post('/api/v1/people', person({ id_number: good })), 201)
  })

  test('a duplicate ID number is 409 naming id_number, in any spelling', async () => {
    let id
    for (let seq = 300; ; seq++) {
      id = idNumber('420322', '19720229', seq)
      if (id.endsWith('X')) break
    }
    const old15 = '420322720229' + id.slice(14, 17) // the 15-digit form of the same number
    assertStatus(await t.congress.post('/api/v1/people', person({ id_number: id })), 201)
    await writesNothing(async () => {
      await checkEach([id, id.toLowerCase(), toFullWidth(id), old15], async (spelling) =>
        assertError(await t.congress.post('/api/v1/people', person({ id_number: spelling })),
          409, 'conflict', 'id_number'))
    })
    const found = await t.congress.get(url('/api/v1/people', { id_number: id }))
    assert.equal(found.json.items.length, 1)
  })

  test('names: SQL metacharacters, full-width look-alikes, non-letters are refused', async () => {
    const bad = ["李'; DROP TABLE person;--", '李＇；', "O'Brien", '李"', '李;', '李--',
      '<script>alert(1)</script>', '李1', '李 明', '', '李'.repeat(51), '李\u0000明', '李％', '李＝']
    await writesNothing(async () => {
      await checkEach(bad, async (name) => assertError(
        await t.congress.post('/api/v1/people', person({ name })), 400, 'invalid_argument', 'name'))
    })
    // Control: letters and the middle dot are fine, up to 50 of them.
    for (const name of ['买买提·艾力', '李'.repeat(50), '东']) {
      assertStatus(await t.congress.post('/api/v1/people', person({ name })), 201)
    }
  })

  test('notes keep SQL metacharacters verbatim and harmlessly', async () => {
    const notes = "Robert'); DROP TABLE person;-- ＇；＂ \\' %_ \" ` /* */ ${x} 备注"
    const before = await peopleCount()
    const p = await createPerson(t.congress, { name: '石磊', org_id: t.committee.id, notes })
    assert.equal(p.notes, notes)
    assert.equal((await t.congress.get(`/api/v1/people/${p.id}`)).json.notes, notes)
    const upd = await t.congress.patch(`/api/v1/people/${p.id}`, { version: 1, notes: `${notes}'` })
    assertStatus(upd, 200)
    assert.equal(upd.json.notes, `${notes}'`)
    assert.equal(await peopleCount(), before + 1, 'the table still works')
    for (const q of ["'; DROP TABLE person;--", '%', '_', "'"]) {
      const res = await t.congress.get(url('/api/v1/people', { q }))
      assertStatus(res, 200)
      assert.deepEqual(res.json.items, [], `q=${q}`)
    }
  })

  test('phone and organisation are checked; out of scope looks like absent', async () => {
    await writesNothing(async () => {
      await checkEach(['12345', '1380013800', '23800138000', '138001380001', '电话'],
        async (phone) => assertError(await t.congress.post('/api/v1/people', person({ phone })),
          400, 'invalid_argument', 'phone'))
      const missing = await t.congress.post('/api/v1/people', person({ org_id: 99_999_999 }))
      assertError(missing, 400, 'invalid_argument', 'org_id')
      const above = await t.congress.post('/api/v1/people', person({ org_id: t.city }))
      assertError(above, 400, 'invalid_argument', 'org_id')
      assert.deepEqual(above.json, missing.json)
      const sibling = await t.townOfficer.post('/api/v1/people', person({ org_id: t.finance.id }))
      assert.deepEqual(sibling.json, missing.json)
      assertError(await t.congress.post('/api/v1/people', person({ org_id: 'five' })), 400,
        'invalid_argument', 'org_id')
    })
  })

  test('malformed JSON, wrong content type, a body over 1 MiB', async () => {
    const json = JSON.stringify(person())
    const send = (body, headers) => t.congress.request('POST', '/api/v1/people', { body, headers })
    await writesNothing(async () => {
      for (const body of ['{"name": ', '{name: "x"}', '[]', '"x"', 'null', '', '{"a":1}{"b":2}']) {
        assertError(await send(body, { 'content-type': 'application/json' }), 400,
          'invalid_argument', 'body')
      }
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
        assertError(await send(json, type ? { 'content-type': type } : {}), 415,
          'invalid_argument', 'Content-Type')
      }
      const big = JSON.stringify(person({ notes: 'x'.repeat(1024 * 1024) }))
      assertError(await send(big, { 'content-type': 'application/json' }), 413,
        'invalid_argument', 'body')
    })
    // Control: a charset parameter is fine.
    assertStatus(await send(json, { 'content-type': 'application/json; charset=utf-8' }), 201)
  })

  test('unknown fields are 400 naming them, nested ones dotted', async () => {
    const p = await createPerson(t.congress, { name: '石磊', org_id: t.committee.id })
    await writesNothing(async () => {
      assertError(await t.congress.post('/api/v1/people', { ...person(), nickname: '石头' }), 400,
        'invalid_argument', 'nickname')
      assertError(await t.congress.patch(`/api/v1/people/${p.id}`, { version: 1, id_number: 'x' }),
        400, 'invalid_argument', 'id_number')
      const body = appointmentBody({ person_id: p.id, position_id: t.financeDeputy.id,
        appointing_body_id: t.committee.id })
      body.pre_appointment.foo = 1
      assertError(await t.congress.post('/api/v1/appointments', body), 400, 'invalid_argument',
        'pre_appointment.foo')
      assertError(await t.congress.post('/api/v1/positions',
        { org_id: t.finance.id, title: '科员', category: 'other', rank: 1 }), 400,
      'invalid_argument', 'rank')
    })
    const q = await t.congress.get(url('/api/v1/people', { foo: '1' }))
    assertError(q, 400, 'invalid_argument', 'foo')
    for (const limit of ['0', '201', 'abc', '-1']) {
      assertError(await t.congress.get(url('/api/v1/people', { limit })), 400, 'invalid_argument',
        'limit')
    }
    assertError(await t.congress.get(url('/api/v1/people', { cursor: 'garbage' })), 400,
      'invalid_argument', 'cursor')
    const wrongMethod = await t.congress.request('DELETE', `/api/v1/people/${p.id}`)
    assert.equal(wrongMethod.status, 405)
    assertStatus(await t.congress.get(`/api/v1/people/${p.id}`), 200)
  })

  test('appointment dates: term_end before appointed_on, appointed in the future', async () => {
    const p = await createPerson(t.congress, { name: '石磊', org_id: t.committee.id })
    const base = { person_id: p.id, position_id: t.financeDeputy.id,
      appointing_body_id: t.committee.id }
    await writesNothing(async () => {
      const cases = [
        [{ term_end: '2024-03-14' }, 'term_end'],
        [{ term_end: '2024-03-15' }, 'term_end'], // must be after, not on, appointed_on
        [{ term_end: '2024-02-30' }, 'term_end'],
        [{ appointed_on: isoDay(10), term_end: '2099-12-31' }, 'appointed_on'],
        [{ appointed_on: '15/03/2024' }, 'appointed_on'],
        [{ decision_type: 'promoted' }, 'decision_type'],
      ]
      await checkEach(cases, async ([fields, field]) => assertError(
        await t.congress.post('/api/v1/appointments', appointmentBody({ ...base, ...fields })),
        400, 'invalid_argument', field))
      const pre = (fields) => appointmentBody({ ...base,
        pre_appointment: { ...appointmentBody().pre_appointment, ...fields } })
      const post = (body) => t.congress.post('/api/v1/appointments', body)
      assertError(await post(pre({ statement_on: '2024-03-16' })),
        400, 'invalid_argument', 'pre_appointment.statement_on')
      assertError(await post(pre({ oath_on: '2024-03-14' })),
        400, 'invalid_argument', 'pre_appointment.oath_on')
      // A failed exam without a resit: 400 or 409 (docs: "Rules (400/409 naming the field)").
      const failed = await post(pre({ exam_score: 59 }))
      assert.ok([400, 409].includes(failed.status), failed.text)
      assert.equal(failed.json.error.field, 'pre_appointment.exam_score')
    })
    const holders = await t.congress.get(url('/api/v1/positions', { org_id: t.finance.id }))
    assert.equal(holders.json.items.find((x) => x.id === t.financeDeputy.id).active_holders, 0)
    // Control: the base body is fine.
    assertStatus(await t.congress.post('/api/v1/appointments', appointmentBody(base)), 201)
  })

  test('appointment references: unknown or out-of-scope records are the same 400', async () => {
    const mine = await createPerson(t.townOfficer, { name: '石磊', org_id: t.town.id })
    const notMine = await createPerson(t.congress, { name: '石磊', org_id: t.committee.id })
    const base = { person_id: mine.id, position_id: t.townHead.id,
      appointing_body_id: t.townCongress.id, decision_type: 'elected',
      meeting: '城关镇第十九届人民代表大会第一次会议' }
    const post = (fields) => t.townOfficer.post('/api/v1/appointments',
      appointmentBody({ ...base, ...fields }))
    await writesNothing(async () => {
      for (const [field, outOfScope] of [['person_id', notMine.id],
        ['position_id', t.financeDeputy.id], ['appointing_body_id', t.committee.id]]) {
        const missing = await post({ [field]: 99_999_999 })
        assertError(missing, 400, 'invalid_argument', field)
        const hidden = await post({ [field]: outOfScope })
        assertError(hidden, 400, 'invalid_argument', field)
        assert.deepEqual(hidden.json, missing.json, `${field}: out of scope must look absent`)
      }
      // The appointing body must be a standing committee (or a people's congress electing).
      assertError(await post({ decision_type: 'appointed' }), 400, 'invalid_argument',
        'appointing_body_id')
      assertError(await post({ appointing_body_id: t.town.id }), 400, 'invalid_argument',
        'appointing_body_id')
    })
    // Control: the base body is fine. Then the head's post is taken (409 position_id), and a
    // person cannot hold the same post twice (409 person_id).
    assertStatus(await post({}), 201)
    const second = await createPerson(t.townOfficer, { name: '石磊', org_id: t.town.id })
    assertStatus(await post({ person_id: second.id, position_id: t.townDeputy.id }), 201)
    await writesNothing(async () => {
      assertError(await post({ person_id: second.id }), 409, undefined, 'position_id')
      assertError(await post({ person_id: second.id, position_id: t.townDeputy.id }), 409,
        undefined, 'person_id')
    })
  })

  test('a head post holds one person: 409 naming position_id', async () => {
    const p = await createPerson(t.congress, { name: '石磊', org_id: t.committee.id })
    await writesNothing(async () => {
      assertError(await t.congress.post('/api/v1/appointments', appointmentBody({ person_id: p.id,
        position_id: t.financeHead.id, appointing_body_id: t.committee.id })), 409, undefined,
      'position_id')
    })
  })

  test('a garbage session or a missing CSRF header writes nothing', async () => {
    const body = person()
    await writesNothing(async () => {
      const forged = ctx.server.client()
      forged.token = 'f'.repeat(64)
      forged.csrf = t.congress.csrf
      assertError(await forged.post('/api/v1/people', body), 401, 'unauthenticated')
      const none = ctx.server.client()
      assertError(await none.post('/api/v1/people', body), 401, 'unauthenticated')
      assertError(await t.congress.post('/api/v1/people', body, { csrf: false }), 403,
        'permission_denied', 'X-CSRF-Token')
    })
    const found = await t.congress.get(url('/api/v1/people', { id_number: body.id_number }))
    assert.deepEqual(found.json.items, [])
  })

  test('the finance liaison cannot tell another branch\'s records from missing ones', async () => {
    const liaison = await ctx.server.signIn('caizheng')
    const atCounty = await createPerson(t.congress, { name: '石磊', org_id: t.committee.id })
    const atEducation = await createPerson(t.congress, { name: '石磊', org_id: t.education.id })
    // The education bureau's head: their record and their appointment.
    const edu = await t.congress.get(url('/api/v1/appointments', { org_id: t.education.id }))
    const head = edu.json.items[0]
    const missingPerson = await liaison.get('/api/v1/people/99999999')
    assertError(missingPerson, 404, 'not_found')
    const missingAppt = await liaison.get('/api/v1/appointments/99999999')
    assertError(missingAppt, 404, 'not_found')
    await checkEach([
      [`/api/v1/people/${atCounty.id}`, missingPerson],
      [`/api/v1/people/${atEducation.id}`, missingPerson],
      [`/api/v1/people/${head.person_id}`, missingPerson],
      [`/api/v1/appointments/${head.id}`, missingAppt],
    ].map(([path, missing]) => ({ path, missing: missing.text })), async ({ path, missing }) => {
      const res = await liaison.get(path)
      assert.equal(res.status, 404, res.text)
      assert.equal(res.text, missing, `out of scope ${res.text}, missing ${missing}`)
    })
    const list = await liaison.get(url('/api/v1/people', { limit: 200 }))
    assertStatus(list, 200)
    const ids = new Set(list.json.items.map((p) => p.id))
    assert.ok(!ids.has(atCounty.id) && !ids.has(atEducation.id) && !ids.has(head.person_id))
  })
}, { setup })
