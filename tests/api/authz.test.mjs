// The authorization matrix (DESIGN.md §5): every endpoint of the OpenAPI document × every role
// × the organisation relation between the caller and the record. The expectations come from
// the two tables below, written from docs/api.md and the role design, not read from the server:
//
//   no session                          → 401 (public endpoints answer anyway)
//   the role lacks the permission       → 403
//   record in the caller's own org or below (same, descendant)          → success
//   record above, beside or elsewhere (ancestor, sibling, other branch) → 404, or 400 naming the
//     field when a write's body references it
//
// All callers sit at 郧西县 (the demo county). The records sit at the county itself (same), its
// 财政局 (descendant), 十堰市 (ancestor), a second county 郧阳区 created for the test (sibling)
// and 郧阳区财政局 (other branch). Users at 十堰市 are created with `jiandu user add`, since no
// API user can act above the county.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'

import {
  appointmentBody, assertStatus, createPerson, demoOrgs, forEachBackend, freshIdNumber, PASSWORD,
  url,
} from './harness.mjs'

// ---------- role → permissions ----------

const READER = ['org.read', 'person.read', 'appointment.read', 'finding.read']
const ROLE_PERMISSIONS = {
  sys_admin: ['org.read', 'org.write'],
  security_admin: ['org.read', 'user.read', 'user.write'],
  audit_admin: ['org.read', 'audit.read', 'audit.verify', 'audit.read_entity'],
  congress_officer: ['org.read', 'person.read', 'person.write', 'person.reveal', 'appointment.read',
    'appointment.write', 'audit.read_entity', 'finding.read', 'finding.write', 'review.read',
    'review.write', 'warning.read'],
  discipline_officer: ['org.read', 'person.read', 'person.reveal', 'appointment.read',
    'audit.read_entity', 'finding.read', 'finding.write', 'review.read', 'dataset.read',
    'dataset.import', 'rule.run', 'warning.read', 'warning.write'],
  department_liaison: [...READER, 'finding.report', 'review.read', 'review.report'],
  deputy: [...READER, 'review.read', 'vote.cast'],
  analyst: [...READER, 'dataset.read', 'dataset.import', 'rule.run', 'warning.read'],
  viewer: [...READER, 'review.read'],
}
const ROLES = Object.keys(ROLE_PERMISSIONS)
// The login used for each role; all at the county.
const LOGIN = {
  sys_admin: 'sysadmin', security_admin: 'secadmin', audit_admin: 'auditadmin',
  congress_officer: 'congress', discipline_officer: 'jiwei', department_liaison: 'm.liaison',
  deputy: 'deputy', analyst: 'analyst', viewer: 'm.viewer',
}
const ANONYMOUS = 'anonymous'

// 'absent' is a record that does not exist: it must be answered like one out of scope.
const PLACED = ['same', 'descendant', 'ancestor', 'sibling', 'other']
const RELATIONS = [...PLACED, 'absent']
const IN_SCOPE = new Set(['same', 'descendant'])
const ABSENT_ID = 99_999_999

// ---------- endpoint → permission, and the requests that exercise it ----------
//
// perm: a permission, a list (any of them), 'public' (no session needed) or 'session' (any
// signed-in user). Each request has `scope`:
//   'none'  — no record involved: success for every role with the permission;
//   'path'/'query' — reads or acts on the relation's record named in the URL: 404 outside scope;
//   'body'  — a write whose body references the relation's record: 400 naming `field` outside.
// make(f, rel) builds {method, path, body} (or {raw, headers} for a file) from the fixtures f;
// ok is the answer of a permitted caller in scope: a success, or 409 where the record's state
// refuses the action (the request got past authorization). `unit` marks actions that only the
// responsible unit or below may take: a liaison at the county acting on the descendant unit's
// record is refused with 403 although the record is in scope.

let unique = 0
const next = () => `${Date.now().toString(36)}${(unique += 1)}`
const THIS_YEAR = new Date().getFullYear()
// The smallest well-formed PNG signature plus padding: accepted as evidence by its magic bytes.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1)])

// An organisation's own rule: R01's logic under another id.
const OWN_RULE = `id = "X01"
version = 1
title = "矩阵自定义规则"
legal_basis = "测试"
level = "yellow"
owner = "矩阵"
valid_from = 2015-01-01
kind = "match"

[inputs.left]
dataset = "payments"
key = "payee_id"
date = "paid_on"

[inputs.right]
dataset = "people"
key = "id_number"
date = "death_date"

[params]
relation = "after"
grace_days = 0
`
// A people dataset (CSV) with the given living and dead persons (dead 2024-03-10).
const peopleCsv = (alive, dead) => ['id_number,name,death_date',
  ...alive.map((id) => `${id},在世,`), ...dead.map((id) => `${id},已故,2024-03-10`)].join('\n')
// Payments to each of `ids` after their death.
const paymentsCsv = (ids) => ['payee_id,item,period,amount,paid_on',
  ...ids.map((id) => `${id},低保金,2024-04-01,300.00,2024-04-05`)].join('\n')

// A finding of the relation's organisation, supervised by the committee above it.
const findingBody = (f, rel) => ({ source_kind: 'inspection', source_ref: `matrix:${rel}:${next()}`,
  title: '矩阵整改事项', responsible_org_id: f[rel].org.id, supervising_org_id: f[rel].committee.id,
  deadline: { unit: 'working_days', amount: 20 } })

const ENDPOINTS = [
  { route: 'GET /healthz', perm: 'public', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/healthz' }) }] },
  { route: 'GET /api/v1/openapi.json', perm: 'public', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/openapi.json' }) }] },
  { route: 'POST /api/v1/auth/login', perm: 'public', requests: [
    // Only without a session, from a fresh client each time (a login sets the cookie).
    { scope: 'none', ok: 200, roles: [ANONYMOUS], fresh: true,
      make: () => ({ method: 'POST', path: '/api/v1/auth/login',
        body: { username: 'deputy', password: PASSWORD } }) }] },
  { route: 'GET /api/v1/auth/session', perm: 'session', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/auth/session' }) }] },
  // The second-factor steps answer 409 to a session that is already active.
  { route: 'POST /api/v1/auth/totp', perm: 'session', requests: [
    { scope: 'none', ok: 409, make: () => ({ method: 'POST', path: '/api/v1/auth/totp',
      body: { code: '000000' } }) }] },
  { route: 'POST /api/v1/auth/totp/enroll', perm: 'session', requests: [
    { scope: 'none', ok: 409, make: () => ({ method: 'POST', path: '/api/v1/auth/totp/enroll',
      body: {} }) }] },
  { route: 'POST /api/v1/auth/totp/confirm', perm: 'session', requests: [
    { scope: 'none', ok: 409, make: () => ({ method: 'POST', path: '/api/v1/auth/totp/confirm',
      body: { code: '000000' } }) }] },
  // Ends each role's session: run last (see the final test).
  { route: 'POST /api/v1/auth/logout', perm: 'session', last: true, requests: [
    { scope: 'none', ok: 204, make: () => ({ method: 'POST', path: '/api/v1/auth/logout',
      body: {} }) }] },

  { route: 'GET /api/v1/orgs', perm: 'org.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/orgs' }) },
    { scope: 'none', ok: 200, make: () => ({ path: url('/api/v1/orgs', { q: '财政' }) }) },
    { scope: 'query', ok: 200,
      make: (f, rel) => ({ path: url('/api/v1/orgs', { parent_id: f[rel].org.id }) }) }] },
  { route: 'POST /api/v1/orgs', perm: 'org.write', requests: [
    { scope: 'body', field: 'parent_id', ok: 201, make: (f, rel) => {
      const o = f[rel].org
      return { method: 'POST', path: '/api/v1/orgs', body: { parent_id: o.id,
        code: `${o.code}.m${next()}`, name: `矩阵测试科${unique}`, kind: 'other',
        region_code: o.region_code } }
    } }] },
  { route: 'GET /api/v1/orgs/{id}', perm: 'org.read', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: `/api/v1/orgs/${f[rel].org.id}` }) }] },
  { route: 'PATCH /api/v1/orgs/{id}', perm: 'org.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'PATCH',
      path: `/api/v1/orgs/${f[rel].org.id}`, body: { name: f[rel].org.name } }) }] },

  { route: 'GET /api/v1/people', perm: 'person.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/people' }) },
    { scope: 'query', ok: 200,
      make: (f, rel) => ({ path: url('/api/v1/people', { org_id: f[rel].org.id }) }) }] },
  { route: 'POST /api/v1/people', perm: 'person.write', requests: [
    { scope: 'body', field: 'org_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/people',
      body: { name: '矩阵', id_number: freshIdNumber('19700101'), org_id: f[rel].org.id } }) }] },
  { route: 'GET /api/v1/people/{id}', perm: 'person.read', requests: [
    { scope: 'path', ok: 200,
      make: (f, rel) => ({ path: `/api/v1/people/${f[rel].person.id}` }) }] },
  { route: 'PATCH /api/v1/people/{id}', perm: 'person.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'PATCH',
      path: `/api/v1/people/${f[rel].person.id}`, body: { version: 1, notes: '矩阵' } }) }] },
  { route: 'POST /api/v1/people/{id}/reveal', perm: 'person.reveal', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/people/${f[rel].person.id}/reveal`, body: { fields: ['id_number'] } }) }] },

  { route: 'GET /api/v1/positions', perm: 'appointment.read', requests: [
    { scope: 'query', ok: 200,
      make: (f, rel) => ({ path: url('/api/v1/positions', { org_id: f[rel].org.id }) }) }] },
  { route: 'POST /api/v1/positions', perm: 'appointment.write', requests: [
    { scope: 'body', field: 'org_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/positions',
      body: { org_id: f[rel].org.id, title: '调研员', category: 'other' } }) }] },

  { route: 'GET /api/v1/appointments', perm: 'appointment.read', requests: [
    { scope: 'none', ok: 200,
      make: () => ({ path: url('/api/v1/appointments', { active: true }) }) },
    { scope: 'query', ok: 200,
      make: (f, rel) => ({ path: url('/api/v1/appointments', { org_id: f[rel].org.id }) }) },
    { scope: 'query', ok: 200,
      make: (f, rel) => ({
        path: url('/api/v1/appointments', { person_id: f[rel].person.id }) }) }] },
  { route: 'POST /api/v1/appointments', perm: 'appointment.write', requests: [
    // The appointee is kept by the county and the appointing body is the county's standing
    // committee, both in scope: only the position varies with the relation.
    { scope: 'body', field: 'position_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/appointments', body: appointmentBody({ person_id: f[rel].appointee.id,
        position_id: f[rel].position.id, appointing_body_id: f.countyCommittee.id }) }) }] },
  { route: 'GET /api/v1/appointments/{id}', perm: 'appointment.read', requests: [
    { scope: 'path', ok: 200,
      make: (f, rel) => ({ path: `/api/v1/appointments/${f[rel].appointment.id}` }) }] },
  { route: 'PATCH /api/v1/appointments/{id}', perm: 'appointment.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'PATCH',
      path: `/api/v1/appointments/${f[rel].appointment.id}`,
      body: { version: 1, meeting: '矩阵测试会议' } }) }] },
  { route: 'POST /api/v1/appointments/{id}/end', perm: 'appointment.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/appointments/${f[rel].ending.id}/end`,
      body: { version: 1, ended_on: '2025-01-31', end_reason: 'removed' } }) }] },

  { route: 'GET /api/v1/audit/events', perm: ['audit.read_entity', 'audit.read'], requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: url('/api/v1/audit/events',
      { entity_type: 'person', entity_id: f[rel].person.id }) }) },
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: url('/api/v1/audit/events',
      { entity_type: 'appointment', entity_id: f[rel].appointment.id }) }) },
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: url('/api/v1/audit/events',
      { entity_type: 'org', entity_id: f[rel].org.id }) }) },
    ...['review', 'finding', 'meeting'].map((type) => ({ scope: 'path', ok: 200,
      perm: 'audit.read_entity', make: (f, rel) => ({ path: url('/api/v1/audit/events',
        { entity_type: type, entity_id: f[rel][type].id }) }) })),
    // Every event in scope: audit.read alone.
    { scope: 'none', ok: 200, perm: 'audit.read',
      make: () => ({ path: '/api/v1/audit/events' }) }] },
  { route: 'POST /api/v1/audit/verify', perm: 'audit.verify', requests: [
    { scope: 'none', ok: 200,
      make: () => ({ method: 'POST', path: '/api/v1/audit/verify', body: {} }) }] },

  { route: 'GET /api/v1/users', perm: 'user.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/users' }) }] },
  { route: 'POST /api/v1/users', perm: 'user.write', requests: [
    { scope: 'body', field: 'org_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/users', body: { username: `m.new${next()}`, display_name: '矩阵用户',
        role: 'viewer', org_id: f[rel].org.id, password: 'matrix-user-pass-2026' } }) }] },
  { route: 'POST /api/v1/users/{id}/unlock', perm: 'user.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/users/${f[rel].user.id}/unlock`, body: {} }) }] },
  { route: 'POST /api/v1/users/{id}/reset-totp', perm: 'user.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/users/${f[rel].user.id}/reset-totp`, body: {} }) }] },
  { route: 'POST /api/v1/users/{id}/disable', perm: 'user.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/users/${f[rel].disabling.id}/disable`, body: {} }) }] },

  // ---------- rectification ----------
  { route: 'GET /api/v1/findings', perm: 'finding.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/findings' }) },
    { scope: 'query', ok: 200,
      make: (f, rel) => ({ path: url('/api/v1/findings', { org_id: f[rel].org.id }) }) }] },
  { route: 'POST /api/v1/findings', perm: 'finding.write', requests: [
    { scope: 'body', field: 'supervising_org_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/findings', body: findingBody(f, rel) }) }] },
  { route: 'POST /api/v1/findings/sweep', perm: 'finding.write', requests: [
    { scope: 'none', ok: 200,
      make: () => ({ method: 'POST', path: '/api/v1/findings/sweep', body: {} }) }] },
  { route: 'GET /api/v1/findings/{id}', perm: 'finding.read', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: `/api/v1/findings/${f[rel].finding.id}` }) }] },
  { route: 'POST /api/v1/findings/{id}/reports', perm: 'finding.report', requests: [
    { scope: 'path', ok: 201, unit: true, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/findings/${f[rel].finding.id}/reports`,
      body: { kind: 'progress', body: '矩阵进展报告' } }) }] },
  { route: 'POST /api/v1/findings/{id}/reports/{report_id}/evidence', perm: 'finding.report',
    requests: [
      { scope: 'path', ok: 201, unit: true, make: (f, rel) => ({ method: 'POST',
        path: url(`/api/v1/findings/${f[rel].finding.id}/reports/${f[rel].report.id}/evidence`,
          { name: '整改照片.png' }), raw: PNG, headers: { 'content-type': 'image/png' } }) }] },
  { route: 'GET /api/v1/findings/{id}/evidence/{file_id}', perm: 'finding.read', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({
      path: `/api/v1/findings/${f[rel].finding.id}/evidence/${f[rel].evidence.id}` }) }] },
  // An open finding is not yet reported: verification reaches the state check.
  { route: 'POST /api/v1/findings/{id}/verify', perm: 'finding.write', requests: [
    { scope: 'path', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/findings/${f[rel].finding.id}/verify`,
      body: { verdict: 'eliminated', note: '矩阵回头看' } }) }] },
  { route: 'POST /api/v1/findings/{id}/accountability', perm: 'finding.write', requests: [
    { scope: 'path', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/findings/${f[rel].finding.id}/accountability`,
      body: { measure: '诫勉谈话', note: '矩阵' } }) }] },

  { route: 'GET /api/v1/notifications', perm: 'session', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: url('/api/v1/notifications', { unread: true }) }) }] },
  { route: 'GET /api/v1/notifications/count', perm: 'session', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/notifications/count' }) }] },
  { route: 'POST /api/v1/notifications/read-all', perm: 'session', requests: [
    { scope: 'none', ok: 200,
      make: () => ({ method: 'POST', path: '/api/v1/notifications/read-all', body: {} }) }] },
  // Someone else's notice (here: none at all) is not found.
  { route: 'POST /api/v1/notifications/{id}/read', perm: 'session', requests: [
    { scope: 'none', ok: 404, make: () => ({ method: 'POST',
      path: `/api/v1/notifications/${ABSENT_ID}/read`, body: {} }) }] },

  // ---------- monitoring: each relation's organisation has imported people and payments and
  // run R01, which raised three warnings there (one to read and assign, one to dismiss, one to
  // verify).
  { route: 'GET /api/v1/datasets', perm: 'dataset.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/datasets' }) }] },
  { route: 'GET /api/v1/dataset-versions', perm: 'dataset.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/dataset-versions' }) },
    { scope: 'query', ok: 200, make: (f, rel) => ({
      path: url('/api/v1/dataset-versions', { org_id: f[rel].org.id }) }) }] },
  { route: 'POST /api/v1/dataset-versions', perm: 'dataset.import', requests: [
    { scope: 'query', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: url('/api/v1/dataset-versions', { dataset: 'people', org_id: f[rel].org.id,
        name: '人员.csv' }), raw: Buffer.from(peopleCsv([freshIdNumber()], [])),
      headers: { 'content-type': 'text/csv' } }) }] },
  { route: 'GET /api/v1/dataset-versions/{id}/errors', perm: 'dataset.read', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({
      path: `/api/v1/dataset-versions/${f[rel].version.id}/errors` }) }] },
  { route: 'GET /api/v1/rules', perm: 'rule.run', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/rules' }) },
    { scope: 'query', ok: 200, make: (f, rel) => ({
      path: url('/api/v1/rules', { org_id: f[rel].org.id }) }) }] },
  { route: 'POST /api/v1/rules', perm: 'rule.run', requests: [
    { scope: 'body', field: 'org_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/rules', body: { org_id: f[rel].org.id, toml: OWN_RULE } }) }] },
  { route: 'POST /api/v1/rules/{id}/enabled', perm: 'rule.run', requests: [
    { scope: 'body', field: 'org_id', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/rules/R04/enabled', body: { org_id: f[rel].org.id, enabled: false } }) }] },
  { route: 'POST /api/v1/rule-runs', perm: 'rule.run', requests: [
    { scope: 'body', field: 'org_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/rule-runs', body: { org_id: f[rel].org.id, rules: ['R01'] } }) }] },
  { route: 'GET /api/v1/warnings', perm: 'warning.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/warnings' }) },
    { scope: 'query', ok: 200, make: (f, rel) => ({
      path: url('/api/v1/warnings', { org_id: f[rel].org.id }) }) }] },
  { route: 'GET /api/v1/warnings/stats', perm: 'warning.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/warnings/stats' }) },
    { scope: 'query', ok: 200, make: (f, rel) => ({
      path: url('/api/v1/warnings/stats', { org_id: f[rel].org.id }) }) }] },
  { route: 'GET /api/v1/warnings/export', perm: 'warning.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/warnings/export' }) },
    { scope: 'query', ok: 200, make: (f, rel) => ({
      path: url('/api/v1/warnings/export', { org_id: f[rel].org.id }) }) }] },
  { route: 'GET /api/v1/warnings/{id}', perm: 'warning.read', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({
      path: `/api/v1/warnings/${f[rel].warning.id}` }) }] },
  { route: 'POST /api/v1/warnings/{id}/assign', perm: 'warning.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/warnings/${f[rel].warning.id}/assign`, body: { user_id: f[rel].user.id } }) }] },
  { route: 'POST /api/v1/warnings/{id}/dismiss', perm: 'warning.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/warnings/${f[rel].dismissing.id}/dismiss`, body: { reason: '核查属实为误报' } }) }] },
  { route: 'POST /api/v1/warnings/{id}/verify', perm: 'warning.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/warnings/${f[rel].verifying.id}/verify`, body: { note: '经核实情况属实' } }) }] },

  // ---------- reviews: the fixture review of each relation is on a meeting's agenda, its ballot
  // open, so that every stage transition reaches the stage check (409) ----------
  { route: 'GET /api/v1/review-plans/coverage', perm: 'review.read', requests: [
    { scope: 'query', ok: 200, make: (f, rel) => ({ path: url('/api/v1/review-plans/coverage',
      { committee_id: f[rel].committee.id, first_year: 2022, last_year: 2026 }) }) }] },
  { route: 'POST /api/v1/review-plans/generate', perm: 'review.write', requests: [
    { scope: 'body', field: 'committee_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/review-plans/generate', body: { committee_id: f[rel].committee.id,
        first_year: 2022, last_year: 2026, per_year: 6 } }) }] },
  { route: 'GET /api/v1/reviews', perm: 'review.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/reviews' }) }] },
  // The official already has an open review: refused after authorization.
  { route: 'POST /api/v1/reviews', perm: 'review.write', requests: [
    { scope: 'body', field: 'committee_id', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/reviews', body: { committee_id: f[rel].committee.id,
        appointment_id: f[rel].appointment.id, year: THIS_YEAR } }) }] },
  { route: 'GET /api/v1/reviews/{id}', perm: 'review.read', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: `/api/v1/reviews/${f[rel].review.id}` }) }] },
  ...[
    ['investigation', { team: [{ name: '矩阵组长', role: 'leader' }],
      tasks: [{ method: 'interview', title: '座谈' }] }],
    ['investigation-report', { text: '调研报告' }],
    ['opinions', { body: '评议意见' }],
    ['adopt', { chairpersons_council: '主任会议' }],
    ['deliver', { recipients: [{ recipient: 'official' }] }],
    ['follow-up', {}],
    ['close', {}],
    ['publish', { published: true }],
  ].map(([action, body]) => ({ route: `POST /api/v1/reviews/{id}/${action}`, perm: 'review.write',
    requests: [{ scope: 'path', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/reviews/${f[rel].review.id}/${action}`, body }) }] })),
  ...[
    ['work-report', { text: '工作报告' }],
    ['re-report', { text: '整改情况报告' }],
    ['acknowledge', { recipient: 'unit' }],
  ].map(([action, body]) => ({ route: `POST /api/v1/reviews/{id}/${action}`,
    perm: ['review.report', 'review.write'], requests: [{ scope: 'path', ok: 409, unit: true,
      make: (f, rel) => ({ method: 'POST', path: `/api/v1/reviews/${f[rel].review.id}/${action}`,
        body }) }] })),
  { route: 'POST /api/v1/reviews/{id}/tasks/{task_id}/complete', perm: 'review.write', requests: [
    { scope: 'path', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/reviews/${f[rel].review.id}/tasks/${f[rel].task.id}/complete`,
      body: { summary: '完成' } }) }] },
  { route: 'GET /api/v1/reviews/{id}/public-opinions', perm: 'review.read', requests: [
    { scope: 'path', ok: 200,
      make: (f, rel) => ({ path: `/api/v1/reviews/${f[rel].review.id}/public-opinions` }) }] },
  { route: 'GET /api/v1/reviews/{id}/measures', perm: 'review.read', requests: [
    { scope: 'path', ok: 200,
      make: (f, rel) => ({ path: `/api/v1/reviews/${f[rel].review.id}/measures` }) }] },
  // Not in escalation: the measure is not offered.
  { route: 'POST /api/v1/reviews/{id}/measures', perm: 'review.write', requests: [
    { scope: 'path', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/reviews/${f[rel].review.id}/measures`,
      body: { kind: 'inquiry', proposer: 'chairpersons_council', content: '询问' } }) }] },
  // No measure exists at this stage: every permitted caller gets the absent answer.
  { route: 'POST /api/v1/measures/{id}/conclude', perm: 'review.write', requests: [
    { scope: 'none', ok: 404, make: () => ({ method: 'POST',
      path: `/api/v1/measures/${ABSENT_ID}/conclude`, body: { outcome: '答复' } }) }] },
  { route: 'POST /api/v1/measures/{id}/dismissal-vote', perm: 'review.write', requests: [
    { scope: 'none', ok: 404, make: () => ({ method: 'POST',
      path: `/api/v1/measures/${ABSENT_ID}/dismissal-vote`, body: { defense_statement: '申辩',
        votes_for: 1, votes_against: 0, votes_abstain: 0 } }) }] },
  { route: 'GET /api/v1/review-stats', perm: 'review.read', requests: [
    { scope: 'query', ok: 200, make: (f, rel) => ({ path: url('/api/v1/review-stats',
      { committee_id: f[rel].committee.id, first_year: 2022, last_year: 2026 }) }) }] },

  { route: 'GET /api/v1/review-stats/export', perm: 'review.read', requests: [
    { scope: 'query', ok: 200, make: (f, rel) => ({ path: url('/api/v1/review-stats/export',
      { committee_id: f[rel].committee.id, first_year: 2022, last_year: 2026 }) }) }] },
  { route: 'GET /api/v1/meetings', perm: 'review.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/meetings' }) }] },
  { route: 'POST /api/v1/meetings', perm: 'review.write', requests: [
    { scope: 'body', field: 'committee_id', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: '/api/v1/meetings', body: { committee_id: f[rel].committee.id, name: '矩阵会议' } }) }] },
  { route: 'GET /api/v1/meetings/{id}', perm: 'review.read', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: `/api/v1/meetings/${f[rel].meeting.id}` }) }] },
  // The ballot is open: the agenda and the attendance are frozen.
  { route: 'POST /api/v1/meetings/{id}/agenda', perm: 'review.write', requests: [
    { scope: 'path', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/meetings/${f[rel].meeting.id}/agenda`,
      body: { review_id: f[rel].review.id, purpose: 'hearing' } }) }] },
  { route: 'PUT /api/v1/meetings/{id}/attendance', perm: 'review.write', requests: [
    { scope: 'path', ok: 409, make: (f, rel) => ({ method: 'PUT',
      path: `/api/v1/meetings/${f[rel].meeting.id}/attendance`,
      body: { person_ids: f[rel].present } }) }] },
  { route: 'POST /api/v1/meetings/{id}/draws', perm: 'review.write', requests: [
    { scope: 'path', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/meetings/${f[rel].meeting.id}/draws`, body: { review_id: f[rel].review.id } }) }] },
  { route: 'POST /api/v1/meetings/{id}/questions', perm: 'review.write', requests: [
    { scope: 'path', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/meetings/${f[rel].meeting.id}/questions`, body: { review_id: f[rel].review.id,
        asker_person_id: f[rel].present[0], question: '矩阵询问' } }) }] },
  { route: 'POST /api/v1/meetings/{id}/sheet', perm: 'review.write', requests: [
    { scope: 'path', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/meetings/${f[rel].meeting.id}/sheet`, body: {} }) }] },
  { route: 'GET /api/v1/vote-sheets/{id}', perm: ['review.read', 'vote.cast'], requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ path: `/api/v1/vote-sheets/${f[rel].sheet.id}` }) }] },
  { route: 'GET /api/v1/vote-sheets', perm: 'review.read', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: url('/api/v1/vote-sheets', { open: true }) }) },
    { scope: 'none', ok: 200, perm: 'vote.cast',
      make: () => ({ path: url('/api/v1/vote-sheets', { mine: true }) }) }] },
  { route: 'GET /api/v1/vote-sheets/{id}/results', perm: ['review.read', 'vote.cast'], requests: [
    { scope: 'path', ok: 409,
      make: (f, rel) => ({ path: `/api/v1/vote-sheets/${f[rel].sheet.id}/results` }) }] },
  // The deputy login is a committee member recorded present at the county's meetings.
  { route: 'POST /api/v1/vote-sheets/{id}/ballots', perm: 'vote.cast', requests: [
    { scope: 'path', ok: 201, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/vote-sheets/${f[rel].sheet.id}/ballots`,
      body: { choices: [{ review_id: f[rel].review.id, choice: 'satisfied' }] } }) }] },
  { route: 'POST /api/v1/vote-sheets/{id}/receipts/check', perm: ['review.read', 'vote.cast'],
    requests: [{ scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/vote-sheets/${f[rel].sheet.id}/receipts/check`,
      body: { receipt: 'AAAA-BBBB-CCCC-DDDD' } }) }] },
  { route: 'POST /api/v1/vote-sheets/{id}/paper-voters', perm: 'review.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/vote-sheets/${f[rel].sheet.id}/paper-voters`,
      body: { person_ids: [f[rel].present.at(-1)] } }) }] },
  { route: 'POST /api/v1/vote-sheets/{id}/paper-counts', perm: 'review.write', requests: [
    { scope: 'path', ok: 200, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/vote-sheets/${f[rel].sheet.id}/paper-counts`,
      body: { counts: [{ review_id: f[rel].review.id, satisfied: 1, basically_satisfied: 0,
        dissatisfied: 0, abstain: 0, invalid: 0 }] } }) }] },
  // One teller's entry is not enough to close.
  { route: 'POST /api/v1/vote-sheets/{id}/close', perm: 'review.write', requests: [
    { scope: 'path', ok: 409, make: (f, rel) => ({ method: 'POST',
      path: `/api/v1/vote-sheets/${f[rel].sheet.id}/close`, body: {} }) }] },

  { route: 'GET /api/v1/public/reviews/{id}/notice', perm: 'public', requests: [
    { scope: 'none', ok: 200, make: (f) => ({ path: `/api/v1/public/reviews/${f.notice.id}/notice` }) }] },
  { route: 'POST /api/v1/public/reviews/{id}/opinions', perm: 'public', requests: [
    { scope: 'none', ok: 204, make: (f) => ({ method: 'POST',
      path: `/api/v1/public/reviews/${f.notice.id}/opinions`, body: { body: '群众意见' } }) }] },
  { route: 'POST /api/v1/public/reviews/{id}/questionnaire', perm: 'public', requests: [
    { scope: 'none', ok: 204, make: (f) => ({ method: 'POST',
      path: `/api/v1/public/reviews/${f.notice.id}/questionnaire`,
      body: { ratings: Array(6).fill('satisfied') } }) }] },
  { route: 'GET /api/v1/public/review-results', perm: 'public', requests: [
    { scope: 'none', ok: 200, make: () => ({ path: '/api/v1/public/review-results' }) }] },
]

const ERROR_CODES = { 400: 'invalid_argument', 401: 'unauthenticated', 403: 'permission_denied',
  404: 'not_found' }

function hasPermission(role, perm) {
  return [].concat(perm).some((p) => ROLE_PERMISSIONS[role].includes(p))
}

// The expected answer {status, field?} of `role` sending `req` of endpoint `ep` about `rel`.
function expected(role, ep, req, rel) {
  const perm = req.perm || ep.perm
  if (perm === 'public') return { status: req.ok }
  if (role === ANONYMOUS) return { status: 401 }
  if (perm !== 'session' && !hasPermission(role, perm)) return { status: 403 }
  if (req.unit && rel === 'descendant' && role === 'department_liaison') return { status: 403 }
  if (req.scope === 'none' || IN_SCOPE.has(rel)) return { status: req.ok }
  if (req.scope === 'body') return { status: 400, field: req.field }
  return { status: 404 }
}

// Sends every request of `ep` as every role about every relation; returns the mismatches.
// Error answers about records out of scope or absent are kept in `answers` for comparison.
async function runEndpoint(ep, server, callers, fixtures, answers = new Map()) {
  const mismatches = []
  for (const [i, req] of ep.requests.entries()) {
    const roles = req.roles || [...ROLES, ANONYMOUS]
    const rels = req.scope === 'none' ? ['-'] : RELATIONS
    for (const rel of rels) {
      await Promise.all(roles.map(async (role) => {
        const { method = 'GET', path, body, raw, headers } = req.make(fixtures, rel)
        const caller = req.fresh ? server.client() : callers[role]
        const res = await caller.request(method, path,
          raw !== undefined ? { body: raw, headers } : body === undefined ? {} : { json: body })
        const want = expected(role, ep, req, rel)
        if (!IN_SCOPE.has(rel) && rel !== '-') {
          answers.set(`${role} ${ep.route} #${i} ${rel}`, `${res.status} ${res.text}`)
        }
        let ok = res.status === want.status
        if (ok && ERROR_CODES[want.status]) ok = res.json?.error?.code === ERROR_CODES[want.status]
        if (ok && want.field) ok = res.json?.error?.field === want.field
        if (!ok) {
          mismatches.push(`${role} ${rel} ${method} ${path}: want ${want.status}` +
            `${want.field ? ` ${want.field}` : ''}, got ${res.status} ${res.text.slice(0, 160)}`)
        }
      }))
    }
  }
  return mismatches
}

// Creates the records of every relation and signs in one user per role.
async function setup(ctx) {
  const s = ctx.server
  const cityPass = `city-${randomBytes(8).toString('hex')}`
  for (const [username, role] of [['city.sys', 'sys_admin'], ['city.sec', 'security_admin'],
    ['city.cong', 'congress_officer'], ['city.jw', 'discipline_officer']]) {
    await s.cliAddUser({ username, role, orgCode: '420300', password: cityPass })
  }
  const demo = ['congress', 'jiwei', 'deputy', 'analyst', 'sysadmin', 'secadmin', 'auditadmin']
  const signed = await Promise.all(demo.map((u) => s.signIn(u)))
  const by = Object.fromEntries(demo.map((u, i) => [u, signed[i]]))
  const [citySys, citySec, cityCong, cityJw] = await Promise.all(['city.sys', 'city.sec',
    'city.cong', 'city.jw'].map((u) => s.signIn(u, { password: cityPass })))

  const userPass = 'matrix-user-pass-2026'
  const county = (await by.congress.get('/api/v1/orgs')).json.items[0]
  for (const [username, role] of [['m.liaison', 'department_liaison'], ['m.viewer', 'viewer']]) {
    assertStatus(await by.secadmin.post('/api/v1/users', { username, display_name: username, role,
      org_id: county.id, password: userPass }), 201)
  }
  by['m.liaison'] = await s.signIn('m.liaison', { password: userPass })
  by['m.viewer'] = await s.signIn('m.viewer', { password: userPass })

  const orgs = await demoOrgs(by.congress)
  const city = (await citySys.get(`/api/v1/orgs/${county.parent_id}`)).json
  assert.equal(city.code, '420300')
  const newOrg = async (body) => {
    const res = await citySys.post('/api/v1/orgs', body)
    assertStatus(res, 201)
    return res.json
  }
  const yunyang = await newOrg({ parent_id: city.id, code: '420304', name: '郧阳区', kind: 'region',
    region_code: '420304' })
  const yunyangFinance = await newOrg({ parent_id: yunyang.id, code: '420304.zf.czj',
    name: '郧阳区财政局', kind: 'government_department', region_code: '420304' })
  const cityCommittee = await newOrg({ parent_id: city.id, code: '420300.rdcwh',
    name: '十堰市人大常委会', kind: 'standing_committee', region_code: '420300' })

  const absentOrg = { id: ABSENT_ID, code: '420322.absent', name: '不存在', region_code: '420322' }
  const f = {
    countyCommittee: orgs.get('郧西县人大常委会'),
    absent: { org: absentOrg, person: { id: ABSENT_ID }, position: { id: ABSENT_ID },
      appointment: { id: ABSENT_ID }, ending: { id: ABSENT_ID }, user: { id: ABSENT_ID },
      disabling: { id: ABSENT_ID },
      appointee: await createPerson(by.congress, { name: '矩阵', org_id: county.id }) },
  }
  const where = { same: county, descendant: orgs.get('郧西县财政局'), ancestor: city,
    sibling: yunyang, other: yunyangFinance }
  await Promise.all(PLACED.map(async (rel) => {
    const org = where[rel]
    const inCounty = rel === 'same' || rel === 'descendant'
    const officer = inCounty ? by.congress : cityCong
    const security = inCounty ? by.secadmin : citySec
    const committee = inCounty ? f.countyCommittee : cityCommittee
    const person = await createPerson(officer, { name: '矩阵', org_id: org.id })
    const other = await createPerson(officer, { name: '矩阵', org_id: org.id })
    const pos = await officer.post('/api/v1/positions', { org_id: org.id, title: '矩阵岗',
      category: 'other' })
    assertStatus(pos, 201)
    const appoint = async (p) => {
      const res = await officer.post('/api/v1/appointments', appointmentBody({ person_id: p.id,
        position_id: pos.json.id, appointing_body_id: committee.id }))
      assertStatus(res, 201)
      return res.json
    }
    const newUser = async (name) => {
      const res = await security.post('/api/v1/users', { username: `m.${name}.${rel}`,
        display_name: name, role: 'viewer', org_id: org.id, password: userPass })
      assertStatus(res, 201)
      return res.json
    }
    f[rel] = {
      org,
      person,
      position: pos.json,
      appointment: await appoint(person),
      ending: await appoint(other),
      appointee: await createPerson(by.congress, { name: '矩阵', org_id: county.id }),
      user: await newUser('user'),
      disabling: await newUser('disabling'),
      committee,
    }
  }))

  // The city committee gets one member, so that its meetings can hold a ballot.
  const cityMember = await createPerson(cityCong, { name: '市委员', org_id: city.id })
  const memberPos = await cityCong.post('/api/v1/positions', { org_id: cityCommittee.id,
    title: '委员', category: 'commission_member' })
  assertStatus(memberPos, 201)
  assertStatus(await cityCong.post('/api/v1/appointments', appointmentBody({
    person_id: cityMember.id, position_id: memberPos.json.id,
    appointing_body_id: cityCommittee.id })), 201)
  const deputyPerson = by.deputy.session.user.person_id
  assert.ok(deputyPerson, 'the demo deputy login is linked to a committee member')
  const countyMembers = (await by.congress.get(url('/api/v1/appointments', {
    org_id: f.countyCommittee.id, active: true, limit: 200 }))).json.items.map((a) => a.person_id)
  const caizheng = await s.signIn('caizheng')
  const liaisonOf = { same: by['m.liaison'], descendant: caizheng }
  // Sequentially: meetings and ballots of one committee share its members.
  for (const rel of PLACED) {
    const x = f[rel]
    const inCounty = rel === 'same' || rel === 'descendant'
    const officer = inCounty ? by.congress : cityCong
    const finding = await officer.post('/api/v1/findings', findingBody(f, rel))
    assertStatus(finding, 201)
    x.finding = finding.json
    x.report = { id: ABSENT_ID }
    x.evidence = { id: ABSENT_ID }
    if (inCounty) {
      const rep = await liaisonOf[rel].post(`/api/v1/findings/${x.finding.id}/reports`,
        { kind: 'plan', body: '整改方案' })
      assertStatus(rep, 201)
      x.report = rep.json
      const ev = await liaisonOf[rel].request('POST', url(
        `/api/v1/findings/${x.finding.id}/reports/${x.report.id}/evidence`, { name: 'a.png' }),
      { body: PNG, headers: { 'content-type': 'image/png' } })
      assertStatus(ev, 201)
      x.evidence = ev.json
    }
    const review = await officer.post('/api/v1/reviews', { committee_id: x.committee.id,
      appointment_id: x.appointment.id, year: THIS_YEAR })
    assertStatus(review, 201)
    x.review = review.json
    const step = async (path, body) => assertStatus(await officer.post(
      `/api/v1/reviews/${x.review.id}/${path}`, body), 200)
    await step('investigation', { team: [{ name: '矩阵组长', role: 'leader' }], tasks: [
      { method: 'interview', title: '座谈走访' }, { method: 'online_notice', title: '网上公告' },
      { method: 'questionnaire', title: '问卷调查' }] })
    await step('investigation-report', { text: '调研报告' })
    await step('work-report', { text: '工作报告' })
    x.task = (await officer.get(`/api/v1/reviews/${x.review.id}`)).json.tasks[0]
    const meeting = await officer.post('/api/v1/meetings', { committee_id: x.committee.id,
      name: `矩阵评议会议 ${rel}` })
    assertStatus(meeting, 201)
    x.meeting = meeting.json
    assertStatus(await officer.post(`/api/v1/meetings/${x.meeting.id}/agenda`,
      { review_id: x.review.id, purpose: 'hearing' }), 200)
    x.present = inCounty
      ? [deputyPerson, ...countyMembers.filter((p) => p !== deputyPerson).slice(0, 2)]
      : [cityMember.id]
    assertStatus(await officer.request('PUT', `/api/v1/meetings/${x.meeting.id}/attendance`,
      { json: { person_ids: x.present } }), 200)
    const sheet = await officer.post(`/api/v1/meetings/${x.meeting.id}/sheet`, {})
    assertStatus(sheet, 201)
    x.sheet = sheet.json
  }
  // Monitoring: three dead payees per organisation → three R01 warnings.
  const firstRun = {}
  for (const rel of PLACED) {
    const x = f[rel]
    const analyst = rel === 'same' || rel === 'descendant' ? by.jiwei : cityJw
    const dead = [freshIdNumber('19400101'), freshIdNumber('19400101'), freshIdNumber('19400101')]
    const upload = async (dataset, text) => {
      const res = await analyst.request('POST', url('/api/v1/dataset-versions',
        { dataset, org_id: x.org.id, name: `${dataset}.csv` }),
      { body: Buffer.from(text), headers: { 'content-type': 'text/csv' } })
      assertStatus(res, 201)
      return res.json
    }
    x.version = await upload('people', peopleCsv([], dead))
    await upload('payments', paymentsCsv(dead))
    const first = await analyst.post('/api/v1/rule-runs', { org_id: x.org.id, rules: ['R01'] })
    assertStatus(first, 201)
    firstRun[rel] = first.json.run_id
    const run = await analyst.post('/api/v1/rule-runs', { org_id: x.org.id, rules: ['R01'] })
    assertStatus(run, 201)
    // The county also has the demo's own warnings: take those this set-up raised.
    const warnings = (await analyst.get(url('/api/v1/warnings', { org_id: x.org.id, limit: 200 })))
      .json.items.filter((w) => w.rule_id === 'R01' && w.first_run_id === firstRun[rel])
    assert.equal(warnings.length, 3, `three R01 warnings at ${rel}`)
    ;[x.warning, x.dismissing, x.verifying] = warnings
  }
  // The demo's review under investigation has its online notice open to the public.
  const investigating = await by.congress.get(url('/api/v1/reviews', { stage: 'investigating' }))
  f.notice = investigating.json.items.find((r) => r.committee_id === f.countyCommittee.id)
  assert.ok(f.notice, 'the demo has a review under investigation')
  const absent = { id: ABSENT_ID }
  Object.assign(f.absent, { committee: { id: ABSENT_ID }, finding: absent, report: absent,
    evidence: absent, review: absent, task: absent, meeting: absent, sheet: absent,
    version: absent, warning: absent, dismissing: absent, verifying: absent,
    present: [ABSENT_ID] })

  const callers = { [ANONYMOUS]: s.client() }
  for (const role of ROLES) callers[role] = by[LOGIN[role]]
  ctx.callers = callers
  ctx.fixtures = f
}

forEachBackend('authorization matrix', (ctx) => {
  test('the table covers exactly the routes of the OpenAPI document', async () => {
    const doc = await ctx.server.client().get('/api/v1/openapi.json')
    assertStatus(doc, 200)
    const documented = []
    for (const [path, ops] of Object.entries(doc.json.paths)) {
      for (const method of Object.keys(ops)) {
        if (['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) {
          documented.push(`${method.toUpperCase()} ${path}`)
        }
      }
    }
    const covered = ENDPOINTS.map((e) => e.route)
    assert.equal(new Set(covered).size, covered.length, 'a route is in the table twice')
    assert.deepEqual(documented.filter((r) => !covered.includes(r)), [],
      'routes in the OpenAPI document missing from the table')
    assert.deepEqual(covered.filter((r) => !documented.includes(r)), [],
      'routes in the table missing from the OpenAPI document')
  })

  test('each role has exactly the permissions of the table', async () => {
    const mismatches = []
    for (const role of ROLES) {
      const s = ctx.callers[role].session
      if (s.user.role !== role) mismatches.push(`${LOGIN[role]} has role ${s.user.role}`)
      const got = [...s.permissions].sort()
      const want = [...ROLE_PERMISSIONS[role]].sort()
      if (got.join() !== want.join()) mismatches.push(`${role}: got ${got}, want ${want}`)
    }
    assert.deepEqual(mismatches, [])
  })

  const answers = new Map()
  for (const ep of ENDPOINTS.filter((e) => !e.last)) {
    test(ep.route, async () => {
      assert.deepEqual(await runEndpoint(ep, ctx.server, ctx.callers, ctx.fixtures, answers), [])
    })
  }

  test('records out of scope get the very answer of absent ones', () => {
    assert.ok(answers.size > 0)
    const differ = []
    for (const [key, answer] of answers) {
      if (!key.endsWith(' absent')) continue
      const base = key.slice(0, -' absent'.length)
      for (const rel of PLACED.filter((r) => !IN_SCOPE.has(r))) {
        const other = answers.get(`${base} ${rel}`)
        if (other !== answer) differ.push(`${base}: ${rel} → ${other}; absent → ${answer}`)
      }
    }
    assert.deepEqual(differ, [])
  })

  test('lists hold only records in scope', async () => {
    const f = ctx.fixtures
    const inScope = (rel) => IN_SCOPE.has(rel)
    const mismatches = []
    const check = (what, ids, rel, id) => {
      if (ids.has(id) !== inScope(rel)) {
        mismatches.push(`${what}: the ${rel} record ${id} is ${ids.has(id) ? '' : 'not '}listed`)
      }
    }
    const congress = ctx.callers.congress_officer
    const people = await congress.get(url('/api/v1/people', { limit: 200 }))
    const apps = await congress.get(url('/api/v1/appointments', { limit: 200 }))
    const users = await ctx.callers.security_admin.get(url('/api/v1/users', { limit: 200 }))
    for (const r of [people, apps, users]) {
      assertStatus(r, 200)
      assert.equal(r.json.next_cursor, undefined)
    }
    const ids = (r) => new Set(r.json.items.map((x) => x.id))
    for (const rel of RELATIONS) {
      check('people', ids(people), rel, f[rel].person.id)
      check('appointments', ids(apps), rel, f[rel].appointment.id)
      check('users', ids(users), rel, f[rel].user.id)
    }
    const events = await ctx.callers.audit_admin.get(url('/api/v1/audit/events', { limit: 200 }))
    assertStatus(events, 200)
    for (const e of events.json.items) {
      for (const rel of RELATIONS.filter((x) => !inScope(x))) {
        if (e.entity_type === 'person' && String(e.entity_id) === String(f[rel].person.id)) {
          mismatches.push(`audit events: an event of the ${rel} person is listed`)
        }
      }
    }
    const search = await congress.get(url('/api/v1/orgs', { q: '财政局' }))
    check('org search', ids(search), 'descendant', f.descendant.org.id)
    check('org search', ids(search), 'other', f.other.org.id)
    assert.deepEqual(mismatches, [])
  })

  test('POST /api/v1/auth/logout (last: ends every session)', async () => {
    const ep = ENDPOINTS.find((e) => e.last)
    const tokens = ROLES.map((role) => ctx.callers[role].token)
    assert.deepEqual(await runEndpoint(ep, ctx.server, ctx.callers, ctx.fixtures), [])
    for (const token of tokens) {
      const stale = ctx.server.client()
      stale.token = token
      assert.equal((await stale.get('/api/v1/auth/session')).status, 401)
    }
  })
}, { setup })
