import { describe, it, expect } from 'vitest'
import { groupSecret, parseRetryAfter, formatInstant } from '../../src/lib/format.js'
import { parseAction, describeAction, changedFields, summaryText, mergeEvents, actorLabel } from '../../src/lib/audit.js'
import { allows } from '../../src/lib/permissions.js'
import { buildQuery, codeForStatus } from '../../src/api/client.js'

describe('format helpers', () => {
  it('groups a TOTP secret by four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB')
    expect(groupSecret('')).toBe('')
  })

  it('reads Retry-After', () => {
    expect(parseRetryAfter('30')).toBe(30)
    expect(parseRetryAfter(null)).toBeNull()
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:01:00 GMT', now)).toBe(60)
    expect(parseRetryAfter('soon')).toBeNull()
  })

  it('formats instants and keeps unparseable text', () => {
    expect(formatInstant('')).toBe('')
    expect(formatInstant('not a date')).toBe('not a date')
    expect(formatInstant('2025-09-26T01:02:03.456Z')).toMatch(/^2025-09-2\d \d\d:02:03$/)
  })
})

describe('audit helpers', () => {
  const dict = {
    'auditVerbs.create': '新增',
    'auditVerbs.end': '结束',
    'entities.person': '人员',
    'entities.appointment': '任免',
    'audit.system': '系统',
  }
  const t = (k, p) => (k === 'audit.actionPattern' ? `${p.verb}${p.entity}` : dict[k] || k)
  const te = (k) => k in dict || k === 'audit.actionPattern'

  it('parses action codes in several spellings', () => {
    expect(parseAction('person.create')).toEqual({ entity: 'person', verb: 'create' })
    expect(parseAction('person.created')).toEqual({ entity: 'person', verb: 'create' })
    expect(parseAction('appointment:ended')).toEqual({ entity: 'appointment', verb: 'end' })
  })

  it('describes actions in words, and unknown ones as they are', () => {
    expect(describeAction('person.create', t, te)).toBe('新增人员')
    expect(describeAction('appointment.ended', t, te)).toBe('结束任免')
    expect(describeAction('thing.frobnicate', t, te)).toBe('thing.frobnicate')
  })

  it('uses whole-action words when there are some', () => {
    const t2 = (k, p) => (k === 'auditActions.person_appointed' ? '人员获任命' : t(k, p))
    const te2 = (k) => k === 'auditActions.person_appointed' || te(k)
    expect(describeAction('person.appointed', t2, te2)).toBe('人员获任命')
  })

  it('finds changed fields in whatever shape', () => {
    expect(changedFields({ fields: ['name'] })).toEqual(['name'])
    expect(changedFields({ summary: 'name, phone,notes' })).toEqual(['name', 'phone', 'notes'])
    expect(summaryText({ summary: 'name,phone' })).toBe('')
    expect(summaryText({ summary: 'Registered a person.' })).toBe('Registered a person.')
    expect(changedFields({ changed_fields: ['name', 'phone'] })).toEqual(['name', 'phone'])
    expect(changedFields({ changes: { name: ['a', 'b'] } })).toEqual(['name'])
    expect(changedFields({ summary: 'text only' })).toEqual([])
  })

  it('merges trails newest first without duplicates', () => {
    const merged = mergeEvents([[{ seq: 5 }, { seq: 2 }], [{ seq: 4 }, { seq: 2 }]])
    expect(merged.map((e) => e.seq)).toEqual([5, 4, 2])
  })

  it('names actors', () => {
    expect(actorLabel({ actor: 'user:3', actor_name: '张三' }, t)).toBe('张三')
    expect(actorLabel({ actor: 'system' }, t)).toBe('系统')
    expect(actorLabel({ actor: 'user:9' }, t)).toBe('user:9')
  })
})

describe('permissions and client helpers', () => {
  it('checks one or any of several permissions', () => {
    expect(allows(['org.read'], 'org.read')).toBe(true)
    expect(allows(['org.read'], 'person.read')).toBe(false)
    expect(allows(['audit.read'], ['audit.verify', 'audit.read'])).toBe(true)
    expect(allows(undefined, 'x')).toBe(false)
    expect(allows([], null)).toBe(true)
  })

  it('builds query strings, skipping empty values', () => {
    expect(buildQuery({ q: '李明', limit: 50, cursor: undefined, x: '' })).toBe('?q=%E6%9D%8E%E6%98%8E&limit=50')
    expect(buildQuery({})).toBe('')
  })

  it('maps statuses to codes when the body has none', () => {
    expect(codeForStatus(429)).toBe('rate_limited')
    expect(codeForStatus(404)).toBe('not_found')
    expect(codeForStatus(502)).toBe('internal')
  })
})
