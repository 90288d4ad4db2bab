import { describe, it, expect } from 'vitest'
import {
  warningQuery,
  filtersFromRoute,
  datasetContentType,
  uploadQuery,
  evidenceList,
  parseSkipped,
  countBy,
  monthSeries,
  ruleLevelMatrix,
  totalCount,
  orgBreakdown,
  orgIdFromQuery,
  scopeTrail,
  isFinished,
  stateTagType,
  levelColor,
} from '../../src/lib/monitor.js'
import { buildQuery } from '../../src/api/client.js'

const STATS = [
  { rule_id: 'R01', level: 'red', state: 'new', month: '2025-11', count: 3 },
  { rule_id: 'R01', level: 'red', state: 'verified', month: '2026-02', count: 1 },
  { rule_id: 'G02', level: 'orange', state: 'new', month: '2025-11', count: 2 },
  { rule_id: 'R04', level: 'yellow', state: 'dismissed', month: '2025-12', count: 5 },
]

describe('warning queries', () => {
  it('keeps only the filters that are set and valid', () => {
    expect(warningQuery({ ruleId: 'R01', level: '', state: 'new' })).toEqual({ rule_id: 'R01', state: 'new' })
    expect(warningQuery({ level: 'purple', state: 'gone' })).toEqual({})
    expect(warningQuery({ orgId: 3, level: 'red' }, { limit: 50, cursor: 'abc' })).toEqual({ org_id: 3, level: 'red', limit: 50, cursor: 'abc' })
    expect(warningQuery({}, { limit: 50, cursor: undefined })).toEqual({ limit: 50 })
  })

  it('builds the export URL query from the same filters', () => {
    expect(buildQuery(warningQuery({ ruleId: 'R01', level: 'red', state: '' }))).toBe('?rule_id=R01&level=red')
    expect(buildQuery(warningQuery({}))).toBe('')
  })

  it('reads filters from the route, dropping unknown values', () => {
    expect(filtersFromRoute({ org_id: '12', rule_id: 'R07', level: 'orange', state: 'assigned' })).toEqual({ orgId: 12, ruleId: 'R07', level: 'orange', state: 'assigned' })
    expect(filtersFromRoute({ org_id: '0x1', rule_id: ['a', 'b'], level: 'pink', state: 'x' })).toEqual({ orgId: null, ruleId: '', level: '', state: '' })
  })

  it('accepts only a positive safe integer as the organisation', () => {
    expect(orgIdFromQuery('7')).toBe(7)
    for (const bad of ['', '0', '-3', '1.5', '07', '99999999999999999', ['7'], undefined]) expect(orgIdFromQuery(bad)).toBe(null)
  })
})

describe('warnings by organisation', () => {
  const ITEMS = [
    { org_id: 1, org_name: '郧西县', rule_id: 'R01', level: 'red', state: 'new', month: '2025-11', count: 2 },
    { org_id: 5, org_name: '郧西县财政局', rule_id: 'R01', level: 'red', state: 'verified', month: '2025-11', count: 3 },
    { org_id: 5, org_name: '郧西县财政局', rule_id: 'G02', level: 'orange', state: 'assigned', month: '2025-12', count: 1 },
    { org_id: 9, org_name: '', rule_id: 'R04', level: 'yellow', state: 'dismissed', month: '2025-12', count: 1 },
  ]

  it('sums each organisation, red and open apart, most warnings first', () => {
    expect(orgBreakdown(ITEMS, 1)).toEqual([
      { id: 5, name: '郧西县财政局', count: 4, red: 3, open: 1, self: false },
      { id: 1, name: '郧西县', count: 2, red: 2, open: 2, self: true },
      { id: 9, name: '#9', count: 1, red: 0, open: 0, self: false },
    ])
    expect(orgBreakdown([], 1)).toEqual([])
  })

  it('draws the breadcrumb from the caller\'s organisation down to the one viewed', () => {
    const org = { id: 7, name: '社保股', ancestors: [{ id: 1, name: '湖北省' }, { id: 3, name: '十堰市' }, { id: 5, name: '郧西县' }] }
    expect(scopeTrail(org, 3)).toEqual([{ id: 3, name: '十堰市' }, { id: 5, name: '郧西县' }, { id: 7, name: '社保股' }])
    expect(scopeTrail(org, 7)).toEqual([{ id: 7, name: '社保股' }])
    expect(scopeTrail(org, 99)).toEqual([{ id: 7, name: '社保股' }])
    expect(scopeTrail(null, 1)).toEqual([])
  })
})

describe('dataset uploads', () => {
  it('uses the browser type, else the extension, else octet-stream', () => {
    expect(datasetContentType('人员.csv', 'text/csv')).toBe('text/csv')
    expect(datasetContentType('发放.CSV', '')).toBe('text/csv')
    expect(datasetContentType('a.xlsx', '')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(datasetContentType('a.jsonl', undefined)).toBe('application/x-ndjson')
    expect(datasetContentType('noext', '')).toBe('application/octet-stream')
  })

  it('builds the upload query: reject by default, encoding only when chosen', () => {
    expect(uploadQuery({ dataset: 'people', orgId: 3, fileName: 'p.csv', mode: '', encoding: '' })).toEqual({ dataset: 'people', org_id: 3, name: 'p.csv', mode: 'reject' })
    expect(uploadQuery({ dataset: 'payments', orgId: 5, fileName: 'x.csv', mode: 'quarantine', encoding: 'gb18030' })).toEqual({
      dataset: 'payments',
      org_id: 5,
      name: 'x.csv',
      mode: 'quarantine',
      encoding: 'gb18030',
    })
    expect(buildQuery(uploadQuery({ dataset: 'people', orgId: 3, fileName: '人员 名单.csv', mode: 'reject' }))).toBe(
      `?dataset=people&org_id=3&name=${encodeURIComponent('人员 名单.csv')}&mode=reject`,
    )
  })
})

describe('warning details', () => {
  it('lists evidence per dataset with the rows not shown', () => {
    expect(evidenceList({ people: { rows: [1], total: 1 }, payments: { rows: [2, 5], total: 30 } })).toEqual([
      { dataset: 'payments', rows: [2, 5], total: 30, more: 28 },
      { dataset: 'people', rows: [1], total: 1, more: 0 },
    ])
    expect(evidenceList(null)).toEqual([])
    expect(evidenceList({ x: {} })).toEqual([{ dataset: 'x', rows: [], total: 0, more: 0 }])
  })

  it('splits skipped-rule lines into rule and reason', () => {
    expect(parseSkipped('R04: no dataset dibao_roll imported')).toEqual({ ruleId: 'R04', reason: 'no dataset dibao_roll imported' })
    expect(parseSkipped('something odd')).toEqual({ ruleId: '', reason: 'something odd' })
  })

  it('knows finished states and tag types', () => {
    expect(isFinished('verified')).toBe(true)
    expect(isFinished('dismissed')).toBe(true)
    expect(isFinished('new')).toBe(false)
    expect(isFinished('assigned')).toBe(false)
    expect(stateTagType('verified')).toBe('success')
    expect(stateTagType('new')).toBe('primary')
    expect(levelColor('red')).not.toBe(levelColor('yellow'))
    expect(levelColor('whatever')).toBe(levelColor('info'))
  })
})

describe('dashboard data', () => {
  it('sums counts by a field in the given order, unknown keys last', () => {
    expect(countBy(STATS, 'level', ['red', 'orange', 'yellow', 'info'])).toEqual([
      { key: 'red', count: 4 },
      { key: 'orange', count: 2 },
      { key: 'yellow', count: 5 },
    ])
    expect(countBy([...STATS, { level: 'weird', count: 1 }], 'level', ['yellow']).map((x) => x.key)).toEqual(['yellow', 'orange', 'red', 'weird'])
    expect(totalCount(STATS)).toBe(11)
    expect(totalCount([])).toBe(0)
  })

  it('fills the months between the first and the last, across a year end', () => {
    expect(monthSeries(STATS)).toEqual({ months: ['2025-11', '2025-12', '2026-01', '2026-02'], counts: [5, 5, 0, 1] })
    expect(monthSeries([])).toEqual({ months: [], counts: [] })
  })

  it('orders rules by count and stacks them by level', () => {
    const m = ruleLevelMatrix(STATS)
    expect(m.rules).toEqual(['R04', 'R01', 'G02'])
    expect(m.series).toEqual([
      { level: 'red', data: [0, 4, 0] },
      { level: 'orange', data: [0, 0, 2] },
      { level: 'yellow', data: [5, 0, 0] },
    ])
  })
})
