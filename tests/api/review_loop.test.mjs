// Seed 001's year (郧西) through the HTTP API, on both backends, with the server's clock set by
// the test (`--test-clock`): the 2024 plan, five officials investigated and heard at the October
// meeting, a secret ballot with electronic and paper votes, grades by the default rule, opinions
// adopted by the 主任会议 and delivered, one official graded 不满意 who re-reports and is voted
// again, still 不满意, so a 质询 (three members at county level) and a 撤职案 follow; the others'
// rectification reported with evidence, checked by 回头看 with a second vote, one finding
// reopened, all verified and the reviews closed; overdue findings escalated; and the year's
// statistics checked against figures computed here from what the test did.
//
// Every refusal along the way is checked for its status, code and field, and for leaving the
// record as it was.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { assertError, assertStatus, forEachBackend, unzip, url } from './harness.mjs'

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(200, 7)])
const RECIPIENTS = ['official', 'unit', 'party_committee', 'government', 'organization_department']

// ---------- the grading rule, written independently of the server (DOMAIN.md §2.1) ----------
// Quorum: present > ½ of all members. 满意: satisfied ≥ ½ of all members. 基本满意: satisfied +
// basically_satisfied > ½ of all members. Otherwise 不满意. Compared as 2·count against members.
function grade({ members, present, satisfied, basically }) {
  if (!(2 * present > members)) return null
  if (2 * satisfied >= members) return 'satisfied'
  if (2 * (satisfied + basically) > members) return 'basically_satisfied'
  return 'dissatisfied'
}

function tally(ballots, reviewId) {
  const t = { satisfied: 0, basically_satisfied: 0, dissatisfied: 0, abstain: 0 }
  for (const b of ballots) t[b[reviewId]] += 1
  return t
}

forEachBackend('the 郧西 review loop of one year', (ctx) => {
  const s = {} // state shared by the steps, which run in order

  async function setClock(now) {
    assertStatus(await ctx.server.client().post('/api/v1/test/clock', { now }), 200)
    ctx.server.fakeNowMs = Date.parse(`${now}+08:00`)
    // Sessions do not survive months: everyone signs in again.
    s.congress = await ctx.server.signIn('congress')
    if (s.liaisonNames) s.teller = await ctx.server.signIn('teller2', { password: s.pass })
    s.liaisons = {}
    for (const [orgId, name] of Object.entries(s.liaisonNames || {})) {
      s.liaisons[orgId] = await ctx.server.signIn(name, { password: s.pass })
    }
  }

  async function voters(personIds) {
    return Promise.all(personIds.map((p) => ctx.server.signIn(s.accountOf.get(p),
      { password: s.accountOf.get(p).startsWith('member') || s.accountOf.get(p) === 'deputy'
        ? undefined : s.pass })))
  }

  async function reviewOf(id) {
    const res = await s.congress.get(`/api/v1/reviews/${id}`)
    assertStatus(res, 200)
    return res.json
  }

  async function act(client, id, action, body, status = 200) {
    const res = await client.post(`/api/v1/reviews/${id}/${action}`, body)
    assertStatus(res, status)
    return res.json
  }

  // Holds a meeting: agenda, attendance, one drawn questioner per review, the ballot opened.
  async function meeting(name, reviews, purpose, present) {
    const m = await s.congress.post('/api/v1/meetings', { committee_id: s.committee.id, name })
    assertStatus(m, 201)
    for (const r of reviews) {
      assertStatus(await s.congress.post(`/api/v1/meetings/${m.json.id}/agenda`,
        { review_id: r.id, purpose }), 200)
    }
    assertStatus(await s.congress.request('PUT', `/api/v1/meetings/${m.json.id}/attendance`,
      { json: { person_ids: present } }), 200)
    return m.json
  }

  test('the demo county starts 2024 with its term plan', async () => {
    s.pass = 'review-loop-pass-2026'
    await setClock('2024-03-01T09:00:00')
    const committee = await s.congress.get(url('/api/v1/orgs', { q: '人大常委会' }))
    s.committee = committee.json.items.find((o) => o.name === '郧西县人大常委会')
    assert.ok(s.committee)
    const cov = await s.congress.get(url('/api/v1/review-plans/coverage',
      { committee_id: s.committee.id, first_year: 2022, last_year: 2026 }))
    assertStatus(cov, 200)
    // 26 department heads, 8 员额法官 and 6 员额检察官 appointed by the committee.
    assert.equal(cov.json.officials.length, 40)
    // Six a year from the current year (2024) to the end of the term.
    assert.equal(cov.json.scheduled, 18)
    for (const year of [2024, 2025, 2026]) {
      assert.equal(cov.json.officials.filter((o) => o.year === year).length, 6)
    }
    const planned = await s.congress.get(url('/api/v1/reviews',
      { committee_id: s.committee.id, year: 2024 }))
    assertStatus(planned, 200)
    s.all = planned.json.items
    assert.equal(s.all.length, 6)
    s.reviews = s.all.slice(0, 5)
    s.spare = s.all[5]

    // The committee's 25 members; accounts for those who have none (deputy, member01–08 do).
    const members = await s.congress.get(url('/api/v1/appointments',
      { org_id: s.committee.id, active: true, limit: 200 }))
    s.members = members.json.items.map((a) => a.person_id)
    assert.equal(s.members.length, 25)
    const security = await ctx.server.signIn('secadmin')
    s.accountOf = new Map()
    const demoAccounts = ['deputy', ...Array.from({ length: 8 }, (_, i) => `member0${i + 1}`)]
    for (const name of demoAccounts) {
      const c = await ctx.server.signIn(name)
      s.accountOf.set(c.session.user.person_id, name)
    }
    const county = (await s.congress.get('/api/v1/orgs')).json.items[0]
    let n = 0
    for (const p of s.members) {
      if (s.accountOf.has(p)) continue
      n += 1
      const username = `loop.member${n}`
      assertStatus(await security.post('/api/v1/users', { username, display_name: '常委会委员',
        role: 'deputy', org_id: county.id, password: s.pass, person_id: p }), 201)
      s.accountOf.set(p, username)
    }
    // Linking a second account to the same person is refused.
    assertError(await security.post('/api/v1/users', { username: 'loop.dup', display_name: 'x',
      role: 'deputy', org_id: county.id, password: s.pass, person_id: s.members[0] }), 409,
    'conflict', 'person_id')
    // A second teller for the paper ballots, and a liaison in each reviewed unit.
    assertStatus(await security.post('/api/v1/users', { username: 'teller2',
      display_name: '计票人', role: 'congress_officer', org_id: county.id, password: s.pass }), 201)
    s.liaisonNames = {}
    for (const [i, r] of s.reviews.entries()) {
      const username = `loop.liaison${i}`
      assertStatus(await security.post('/api/v1/users', { username, display_name: '联络员',
        role: 'department_liaison', org_id: r.org_id, password: s.pass }), 201)
      s.liaisonNames[r.org_id] = username
    }
    assertStatus(await security.post('/api/v1/users', { username: 'loop.countyliaison',
      display_name: '县联络员', role: 'department_liaison', org_id: county.id,
      password: s.pass }), 201)
    await setClock('2024-03-01T10:00:00')
  })

  test('each review is investigated and the work report submitted', async () => {
    for (const r of s.reviews) {
      const before = await reviewOf(r.id)
      if (before.review.stage === 'planned') {
        // A stage cannot be skipped: no work report before the investigation.
        assertError(await s.liaisons[r.org_id].post(`/api/v1/reviews/${r.id}/work-report`,
          { text: '工作报告' }), 409, 'failed_precondition', 'stage')
        await act(s.congress, r.id, 'investigation', {
          team: [{ name: '张副主任', role: 'leader', affiliation: '常委会组成人员' },
            { name: '李代表', role: 'member', affiliation: '人大代表' }],
          tasks: [{ method: 'interview', title: '座谈走访' },
            { method: 'online_notice', title: '网上发布公告' }] })
      }
      const detail = await reviewOf(r.id)
      assert.equal(detail.review.stage, 'investigating')
      // The online notice takes opinions from anyone, without a session.
      const pub = ctx.server.client()
      assertStatus(await pub.get(`/api/v1/public/reviews/${r.id}/notice`), 200)
      assertStatus(await pub.post(`/api/v1/public/reviews/${r.id}/opinions`,
        { body: '窗口服务还需改进' }), 204)
      let extra = 0
      if (r === s.reviews[0]) {
        // Bad input is refused, and one address cannot flood the notice: 5 at once, then 429.
        assertError(await pub.post(`/api/v1/public/reviews/${r.id}/opinions`, { body: '' }), 400,
          'invalid_argument', 'body')
        for (let i = 0; i < 3; i++) {
          assertStatus(await pub.post(`/api/v1/public/reviews/${r.id}/opinions`,
            { body: `意见${i}` }), 204)
          extra += 1
        }
        const flood = await pub.post(`/api/v1/public/reviews/${r.id}/opinions`, { body: '再来' })
        assertError(flood, 429, 'resource_exhausted')
        assert.equal(flood.headers['retry-after'], '60')
      }
      for (const task of detail.tasks) {
        assertStatus(await s.congress.post(
          `/api/v1/reviews/${r.id}/tasks/${task.id}/complete`, { summary: '已完成' }), 200)
      }
      // Once the notice is closed the public page is gone.
      assertError(await ctx.server.client().post(`/api/v1/public/reviews/${r.id}/opinions`,
        { body: '再提意见' }), 404, 'not_found')
      await act(s.congress, r.id, 'investigation-report', { text: '调研报告：总体较好，存在不足。' })
      // Only the official's own unit submits the work report (a county-level liaison is above it).
      const countyLiaison = await ctx.server.signIn('loop.countyliaison', { password: s.pass })
      assertError(await countyLiaison.post(`/api/v1/reviews/${r.id}/work-report`,
        { text: '工作报告' }), 403, 'permission_denied')
      await act(s.liaisons[r.org_id], r.id, 'work-report', { text: '履职工作报告全文' })
      assert.equal((await reviewOf(r.id)).review.stage, 'report_submitted')
      assert.equal((await reviewOf(r.id)).public_opinions, 1 + extra)
    }
  })

  test('the October meeting hears the five and votes by secret ballot', async () => {
    await setClock('2024-10-15T09:00:00')
    // 22 of the 25 members are present; two of them vote on paper.
    s.present = s.members.slice(0, 22)
    s.absent = s.members.slice(22)
    const m = await meeting('郧西县第十九届人大常委会第二十二次会议', s.reviews, 'hearing', s.present)
    s.meeting1 = m
    // The questioner is drawn among those present, reproducibly from the recorded seed.
    for (const r of s.reviews) {
      const d = await s.congress.post(`/api/v1/meetings/${m.id}/draws`, { review_id: r.id })
      assertStatus(d, 201)
      assert.ok(s.present.includes(d.json.chosen_person_id))
      assert.deepEqual(d.json.candidates, [...s.present].sort((a, b) => a - b))
      assertStatus(await s.congress.post(`/api/v1/meetings/${m.id}/questions`, {
        review_id: r.id, asker_person_id: d.json.chosen_person_id, draw_id: d.json.id,
        question: '如何解决群众反映的办事难问题？', answer: '已制定整改措施。' }), 201)
    }
    // The ballot opens ten minutes after it is set up, for thirty minutes.
    const sheet = await s.congress.post(`/api/v1/meetings/${m.id}/sheet`,
      { delay_seconds: 600, duration_minutes: 30 })
    assertStatus(sheet, 201)
    s.sheet1 = sheet.json
    assert.equal(s.sheet1.state, 'draft')
    assert.equal(s.sheet1.members_total, 25)
    assert.equal(s.sheet1.present, 22)

    const electronic = s.present.slice(0, 20)
    s.paper = s.present.slice(20)
    const [R1, R2, R3, R4, R5] = s.reviews.map((r) => r.id)
    // What each electronic voter chooses (designed to give every grade).
    s.ballots1 = electronic.map((_, i) => ({
      [R1]: 'satisfied',
      [R2]: i < 12 ? 'satisfied' : 'basically_satisfied',
      [R3]: i < 13 ? 'satisfied' : 'basically_satisfied',
      [R4]: i < 10 ? 'satisfied' : 'basically_satisfied',
      [R5]: i < 3 ? 'satisfied' : i < 8 ? 'basically_satisfied' : 'dissatisfied',
    }))
    s.paperBallots1 = [0, 1].map(() => ({ [R1]: 'basically_satisfied', [R2]: 'dissatisfied',
      [R3]: 'abstain', [R4]: 'dissatisfied', [R5]: 'dissatisfied' }))
    const choices = (b) => Object.entries(b).map(([review_id, choice]) =>
      ({ review_id: Number(review_id), choice }))
    const clients = await voters(electronic)
    const path = `/api/v1/vote-sheets/${s.sheet1.id}/ballots`

    // Before the window opens nobody can vote.
    assertError(await clients[0].post(path, { choices: choices(s.ballots1[0]) }), 409,
      'failed_precondition', 'sheet')
    await setClock('2024-10-15T09:11:00')
    const fresh = await voters(electronic)
    // A member who is absent is not on the attendance list.
    const [absentee] = await voters([s.absent[0]])
    assertError(await absentee.post(path, { choices: choices(s.ballots1[0]) }), 403,
      'permission_denied')
    // A ballot naming an official not on the sheet, or leaving one out, counts nothing.
    assertError(await fresh[0].post(path, { choices: [{ review_id: s.spare.id,
      choice: 'satisfied' }, ...choices(s.ballots1[0]).slice(1)] }), 400, 'invalid_argument',
    'choices[0].review_id')
    assertError(await fresh[0].post(path, { choices: choices(s.ballots1[0]).slice(1) }), 400,
      'invalid_argument', 'choices')
    // The same member twice at the same moment: exactly one ballot counts.
    const twice = await Promise.all([fresh[0].post(path, { choices: choices(s.ballots1[0]) }),
      fresh[0].post(path, { choices: choices(s.ballots1[0]) })])
    assert.deepEqual(twice.map((r) => r.status).sort(), [201, 409])
    s.receipt = twice.find((r) => r.status === 201).json.receipt
    const rest = await Promise.all(fresh.slice(1).map((c, i) =>
      c.post(path, { choices: choices(s.ballots1[i + 1]) })))
    assert.deepEqual(rest.map((r) => r.status), Array(19).fill(201))
    assertError(await fresh[3].post(path, { choices: choices(s.ballots1[3]) }), 409, 'conflict')

    // The live view shows turnout, never counts, while the ballot is open.
    const live = await s.congress.get(`/api/v1/vote-sheets/${s.sheet1.id}`)
    assert.equal(live.json.voted, 20)
    assert.deepEqual(live.json.results, [])
    assertError(await s.congress.get(`/api/v1/vote-sheets/${s.sheet1.id}/results`), 409,
      'failed_precondition')

    // Paper ballots: two tellers must agree before the counts are added.
    assertStatus(await s.congress.post(`/api/v1/vote-sheets/${s.sheet1.id}/paper-voters`,
      { person_ids: s.paper }), 200)
    const paperCounts = s.reviews.map((r) => {
      const t = tally(s.paperBallots1, r.id)
      return { review_id: r.id, ...t, invalid: 0 }
    })
    assertStatus(await s.congress.post(`/api/v1/vote-sheets/${s.sheet1.id}/paper-counts`,
      { counts: paperCounts }), 200)
    const wrong = paperCounts.map((c, i) => (i === 0 ? { ...c, basically_satisfied: 1,
      invalid: 1 } : c))
    assertError(await s.teller.post(`/api/v1/vote-sheets/${s.sheet1.id}/paper-counts`,
      { counts: wrong }), 409, 'conflict', 'counts')
    assertStatus(await s.congress.post(`/api/v1/vote-sheets/${s.sheet1.id}/paper-counts`,
      { counts: paperCounts }), 200)
    assertStatus(await s.teller.post(`/api/v1/vote-sheets/${s.sheet1.id}/paper-counts`,
      { counts: paperCounts }), 200)

    const check = await fresh[0].post(`/api/v1/vote-sheets/${s.sheet1.id}/receipts/check`,
      { receipt: s.receipt })
    assert.equal(check.json.counted, true)

    const closed = await s.congress.post(`/api/v1/vote-sheets/${s.sheet1.id}/close`, {})
    assertStatus(closed, 200)
    assertError(await fresh[5].post(path, { choices: choices(s.ballots1[5]) }), 409,
      'failed_precondition', 'sheet')
    s.expected1 = {}
    for (const r of s.reviews) {
      const t = tally([...s.ballots1, ...s.paperBallots1], r.id)
      const got = closed.json.results.find((x) => x.review_id === r.id)
      assert.deepEqual([got.satisfied, got.basically_satisfied, got.dissatisfied, got.abstain],
        [t.satisfied, t.basically_satisfied, t.dissatisfied, t.abstain])
      const want = grade({ members: 25, present: 22, satisfied: t.satisfied,
        basically: t.basically_satisfied })
      assert.equal(got.grade, want, `review ${r.id}`)
      s.expected1[r.id] = { ...t, grade: want }
      assert.equal((await reviewOf(r.id)).review.grade, want)
      assert.equal((await reviewOf(r.id)).review.stage, 'voted')
    }
    assert.deepEqual(s.reviews.map((r) => s.expected1[r.id].grade),
      ['satisfied', 'basically_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied'])
  })

  test('opinions are adopted by the 主任会议 and delivered; findings open', async () => {
    await setClock('2024-10-25T09:00:00')
    for (const r of s.reviews) {
      for (const body of ['进一步优化营商环境', '加强干部队伍作风建设']) {
        assertStatus(await s.congress.post(`/api/v1/reviews/${r.id}/opinions`, { body }), 201)
      }
    }
    // Not before the 主任会议 has adopted them.
    assertError(await s.congress.post(`/api/v1/reviews/${s.reviews[0].id}/deliver`,
      { recipients: [{ recipient: 'official' }] }), 409, 'failed_precondition', 'stage')
    for (const r of s.reviews) {
      await act(s.congress, r.id, 'adopt', { chairpersons_council: '县人大常委会第四十次主任会议' })
    }
    await setClock('2024-11-01T09:00:00')
    for (const r of s.reviews) {
      await act(s.congress, r.id, 'deliver',
        { recipients: RECIPIENTS.map((recipient) => ({ recipient })) })
      await act(s.liaisons[r.org_id], r.id, 'acknowledge', { recipient: 'unit' })
      const d = await reviewOf(r.id)
      assert.equal(d.findings.length, 2)
      // 2024-11-01 + 6 months = 2025-05-01, in the 劳动节 holiday (05-01…05-05) → 05-06.
      for (const f of d.findings) assert.equal(f.due_on, '2025-05-06')
      assert.equal(d.deliveries.find((x) => x.recipient === 'unit').acknowledged_on, '2024-11-01')
    }
    const [, , , , R5] = s.reviews
    const d5 = await reviewOf(R5.id)
    assert.equal(d5.review.stage, 're_reporting')
    // 2024-11-01 + 3 months = 2025-02-01, in the 春节 holiday (01-28…02-04) → 02-05.
    assert.equal(d5.review.re_report_due_on, '2025-02-05')
    for (const r of s.reviews.slice(0, 4)) assert.equal((await reviewOf(r.id)).review.stage, 'rectifying')
    // The unit heard about it in its inbox.
    const inbox = await s.liaisons[R5.org_id].get('/api/v1/notifications')
    assert.ok(inbox.json.items.some((n) => n.kind === 'review.opinions_delivered'))
    // A deadline that is already past is refused.
    assertError(await s.congress.post('/api/v1/findings', { source_kind: 'inspection',
      source_ref: 'xuncha:2024-1', title: '巡察发现问题', responsible_org_id: R5.org_id,
      supervising_org_id: s.committee.id, opened_on: '2024-01-02',
      deadline: { unit: 'working_days', amount: 5 } }), 400, 'invalid_argument', 'deadline')
    // Review opinions become findings through their review only.
    assertError(await s.congress.post('/api/v1/findings', { source_kind: 'review_opinion',
      source_ref: `review:${R5.id}`, title: '评议意见', responsible_org_id: R5.org_id,
      supervising_org_id: s.committee.id, deadline: { unit: 'months', amount: 6 } }), 400,
    'invalid_argument', 'source_kind')
  })

  test('still 不满意 after the re-report: a 质询 and a 撤职案', async () => {
    const R5 = s.reviews[4]
    await setClock('2025-01-20T09:00:00')
    // Only at the escalation stage are the statutory measures offered.
    assertError(await s.congress.post(`/api/v1/reviews/${R5.id}/measures`, { kind: 'dismissal_motion',
      proposer: 'chairpersons_council', content: '撤职案' }), 409, 'failed_precondition', 'kind')
    await act(s.liaisons[R5.org_id], R5.id, 're-report', { text: '整改情况再报告' })
    const present = s.members.slice(0, 20)
    const m = await meeting('郧西县第十九届人大常委会第二十四次会议', [R5], 're_report', present)
    const sheet = await s.congress.post(`/api/v1/meetings/${m.id}/sheet`, {})
    assertStatus(sheet, 201)
    const clients = await voters(present)
    s.ballots2 = present.map((_, i) => (i < 4 ? 'basically_satisfied' : 'dissatisfied'))
    const res = await Promise.all(clients.map((c, i) => c.post(
      `/api/v1/vote-sheets/${sheet.json.id}/ballots`,
      { choices: [{ review_id: R5.id, choice: s.ballots2[i] }] })))
    assert.deepEqual(res.map((r) => r.status), Array(20).fill(201))
    const closed = await s.congress.post(`/api/v1/vote-sheets/${sheet.json.id}/close`, {})
    assertStatus(closed, 200)
    const want = grade({ members: 25, present: 20, satisfied: 0, basically: 4 })
    assert.equal(want, 'dissatisfied')
    assert.equal(closed.json.results[0].grade, want)
    const d = await reviewOf(R5.id)
    assert.equal(d.review.re_vote_grade, 'dissatisfied')
    assert.equal(d.review.stage, 'escalation')

    const measures = await s.congress.get(`/api/v1/reviews/${R5.id}/measures`)
    const inter = measures.json.options.find((o) => o.kind === 'interpellation')
    assert.equal(inter.available, true)
    assert.equal(inter.cosigners_needed, 3) // 县级: 3 members (监督法 art 51)
    assertError(await s.congress.post(`/api/v1/reviews/${R5.id}/measures`, { kind: 'interpellation',
      proposer: 'members', cosigners: s.members.slice(0, 2), content: '质询案' }), 400,
    'invalid_argument', 'cosigners')
    assert.equal((await s.congress.get(`/api/v1/reviews/${R5.id}/measures`)).json.items.length, 0)
    const q = await s.congress.post(`/api/v1/reviews/${R5.id}/measures`, { kind: 'interpellation',
      proposer: 'members', cosigners: s.members.slice(0, 3),
      content: '关于该局整改不力问题的质询案' })
    assertStatus(q, 201)
    assertStatus(await s.congress.post(`/api/v1/measures/${q.json.id}/conclude`, {
      answer_mode: 'written_answer', answer: '局长签署的书面答复', outcome: '答复已印发常委会组成人员' }),
    200)
    // 撤职案 by members needs one fifth of all 25: five, not four.
    assertError(await s.congress.post(`/api/v1/reviews/${R5.id}/measures`, { kind: 'dismissal_motion',
      proposer: 'members', cosigners: s.members.slice(0, 4), content: '撤职案' }), 400,
    'invalid_argument', 'cosigners')
    const motion = await s.congress.post(`/api/v1/reviews/${R5.id}/measures`, {
      kind: 'dismissal_motion', proposer: 'chairpersons_council', content: '关于撤销某局长职务的议案' })
    assertStatus(motion, 201)
    // 12 of 25 in favour is not more than half of all members.
    const vote = await s.congress.post(`/api/v1/measures/${motion.json.id}/dismissal-vote`, {
      defense_statement: '本人书面申辩意见', votes_for: 12, votes_against: 10, votes_abstain: 1 })
    assertStatus(vote, 200)
    assert.match(vote.json.outcome, /^rejected/)
    await act(s.congress, R5.id, 'close', {})
    assert.equal((await reviewOf(R5.id)).review.stage, 'closed')
  })

  test('rectification is reported with evidence, checked by 回头看, and the reviews close', async () => {
    await setClock('2025-03-10T09:00:00')
    const four = s.reviews.slice(0, 4)
    // 回头看 cannot start while findings are open.
    assertError(await s.congress.post(`/api/v1/reviews/${four[0].id}/follow-up`, {}), 409,
      'failed_precondition', 'findings')
    const otherUnit = s.liaisons[four[1].org_id]
    const countyLiaison = await ctx.server.signIn('loop.countyliaison', { password: s.pass })
    s.findings = []
    for (const r of four) {
      for (const f of (await reviewOf(r.id)).findings) {
        s.findings.push(f)
        const unit = s.liaisons[r.org_id]
        if (r === four[0]) {
          // Another unit cannot see it; the county above it is not the responsible unit.
          assertError(await otherUnit.post(`/api/v1/findings/${f.id}/reports`,
            { kind: 'plan', body: '方案' }), 404, 'not_found')
          assertError(await countyLiaison.post(`/api/v1/findings/${f.id}/reports`,
            { kind: 'plan', body: '方案' }), 403, 'permission_denied')
        }
        const plan = await unit.post(`/api/v1/findings/${f.id}/reports`,
          { kind: 'plan', body: '整改方案：明确责任人和时限' })
        assertStatus(plan, 201)
        const ev = await unit.request('POST', url(
          `/api/v1/findings/${f.id}/reports/${plan.json.id}/evidence`, { name: '整改现场.png' }),
        { body: PNG, headers: { 'content-type': 'image/png' } })
        assertStatus(ev, 201)
        s.evidence = { finding: f.id, id: ev.json.id, sha256: ev.json.sha256 }
        assertStatus(await unit.post(`/api/v1/findings/${f.id}/reports`,
          { kind: 'final', body: '整改情况报告' }), 201)
      }
    }
    const got = await s.congress.get(
      `/api/v1/findings/${s.evidence.finding}/evidence/${s.evidence.id}`)
    assertStatus(got, 200)
    assert.equal(got.headers['content-type'], 'image/png')
    assert.deepEqual(got.bytes, PNG)
    await setClock('2025-04-01T09:00:00')
    for (const r of four) await act(s.congress, r.id, 'follow-up', {})
    const present = s.members.slice(0, 21)
    const m = await meeting('郧西县第十九届人大常委会第二十六次会议', four, 'follow_up', present)
    const sheet = await s.congress.post(`/api/v1/meetings/${m.id}/sheet`, {})
    const clients = await voters(present)
    const res = await Promise.all(clients.map((c) => c.post(
      `/api/v1/vote-sheets/${sheet.json.id}/ballots`,
      { choices: four.map((r) => ({ review_id: r.id, choice: 'satisfied' })) })))
    assert.deepEqual(res.map((r) => r.status), Array(21).fill(201))
    assertStatus(await s.congress.post(`/api/v1/vote-sheets/${sheet.json.id}/close`, {}), 200)
    for (const r of four) assert.equal((await reviewOf(r.id)).review.follow_up_grade, 'satisfied')

    // One finding remains partly unresolved: reopened for 15 more working days.
    const reopened = s.findings[2]
    const v = await s.congress.post(`/api/v1/findings/${reopened.id}/verify`, {
      verdict: 'partly_eliminated', note: '回头看发现仍有遗留问题',
      new_deadline: { unit: 'working_days', amount: 15 } })
    assertStatus(v, 200)
    assert.equal(v.json.state, 'rectifying')
    assert.equal(v.json.round, 2)
    assert.equal(v.json.due_on, '2025-04-23') // 15 working days after Tue 04-01 (清明 04-04)
    for (const f of s.findings.filter((x) => x.id !== reopened.id)) {
      assertStatus(await s.congress.post(`/api/v1/findings/${f.id}/verify`,
        { verdict: 'eliminated', note: '已整改到位' }), 200)
    }
    const owner = four.find((r) => r.id === Number(reopened.source_ref.split(':')[1]))
    assertError(await s.congress.post(`/api/v1/reviews/${owner.id}/close`, {}), 409,
      'failed_precondition', 'findings')
    assertStatus(await s.liaisons[owner.org_id].post(`/api/v1/findings/${reopened.id}/reports`,
      { kind: 'final', body: '遗留问题已整改' }), 201)
    assertStatus(await s.congress.post(`/api/v1/findings/${reopened.id}/verify`,
      { verdict: 'eliminated', note: '已整改到位' }), 200)
    for (const r of four) {
      await act(s.congress, r.id, 'close', {})
      await act(s.congress, r.id, 'publish', { published: true })
    }
  })

  test('overdue findings are escalated above the committee', async () => {
    await setClock('2025-05-20T09:00:00')
    const sweep = await s.congress.post('/api/v1/findings/sweep', {})
    assertStatus(sweep, 200)
    // The 不满意 official's two findings were never reported.
    assert.equal(sweep.json.overdue, 2)
    assert.equal(sweep.json.escalated, 2)
    const again = await s.congress.post('/api/v1/findings/sweep', {})
    assert.equal(again.json.escalated, 0)
    const overdue = await s.congress.get(url('/api/v1/findings', { overdue: true }))
    assert.equal(overdue.json.items.length, 2)
    const inbox = await s.congress.get(url('/api/v1/notifications', { limit: 200 }))
    assert.equal(inbox.json.items.filter((n) => n.kind === 'finding.escalated').length, 2)
  })

  test("the year's statistics and the public page agree with what happened", async () => {
    const stats = await s.congress.get(url('/api/v1/review-stats',
      { committee_id: s.committee.id, first_year: 2024, last_year: 2024 }))
    assertStatus(stats, 200)
    const grades = s.reviews.map((r) => s.expected1[r.id].grade)
    const count = (g) => grades.filter((x) => x === g).length
    let num = 0
    let den = 0
    for (const r of s.reviews) {
      const t = s.expected1[r.id]
      num += t.satisfied + t.basically_satisfied
      den += t.satisfied + t.basically_satisfied + t.dissatisfied
    }
    assert.deepEqual({
      scheduled: stats.json.scheduled, heard: stats.json.heard,
      satisfied: stats.json.satisfied, basically_satisfied: stats.json.basically_satisfied,
      dissatisfied: stats.json.dissatisfied, opinions: stats.json.opinions,
      findings: stats.json.findings, findings_closed: stats.json.findings_closed,
      findings_overdue: stats.json.findings_overdue, rate: stats.json.satisfaction_rate,
    }, {
      scheduled: 6, heard: 5, satisfied: count('satisfied'),
      basically_satisfied: count('basically_satisfied'), dissatisfied: count('dissatisfied'),
      opinions: 10, findings: 10, findings_closed: 8, findings_overdue: 2,
      rate: { num, den },
    })
    assert.deepEqual(stats.json.rectification_rate, { num: 8, den: 10 })
    // The same figures as a workbook: a summary, the years and every review of the period.
    const xlsx = await s.congress.get(url('/api/v1/review-stats/export',
      { committee_id: s.committee.id, first_year: 2024, last_year: 2024 }))
    assertStatus(xlsx, 200)
    assert.match(xlsx.headers['content-type'], /spreadsheetml/)
    const parts = unzip(xlsx.bytes)
    const strings = parts.get('xl/sharedStrings.xml').toString('utf8')
    for (const r of s.reviews) assert.ok(strings.includes(r.person_name), r.person_name)
    assert.ok(strings.includes('整改率'))
    const summary = parts.get('xl/worksheets/sheet1.xml').toString('utf8')
    for (const v of [6, 5, 10, 8, 2]) assert.ok(summary.includes(`<v>${v}</v>`), `value ${v}`)
    assert.equal(parts.get('xl/worksheets/sheet3.xml').toString('utf8').split('<row ').length - 2,
      6) // the six reviews of 2024, after the header row
    const pub = await ctx.server.client().get(url('/api/v1/public/review-results', { year: 2024 }))
    assertStatus(pub, 200)
    assert.deepEqual(pub.json.items.map((x) => x.review_id).sort((a, b) => a - b),
      s.reviews.slice(0, 4).map((r) => r.id).sort((a, b) => a - b))
    for (const item of pub.json.items) {
      assert.equal(item.findings_closed, 2)
      assert.equal(item.grade, s.expected1[item.review_id].grade)
      assert.equal(Object.keys(item).some((k) => /id_number|phone/.test(k)), false)
    }
  })
}, { args: ['--test-clock', '2024-03-01'], timeout: 600_000 })
