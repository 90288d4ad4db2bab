import { describe, it, expect } from 'vitest'
import {
  STAGES,
  BOARD_COLUMNS,
  stageIndex,
  compareByStage,
  boardColumnOf,
  groupByColumn,
  gradeTagType,
  currentGrade,
  formatRate,
  rateValue,
  stageTimeline,
  stageDatesFromAudit,
  cstDate,
  sortVotes,
  ballotComplete,
  normalizeReceipt,
  turnoutPercent,
} from '../../src/lib/review.js'
import { chinaToday, dayNumber, daysLeft, isOverdue, daysLeftClass, formatSize, evidenceContentType } from '../../src/lib/findings.js'
import { notificationTarget, ballotSheetIds } from '../../src/lib/notifications.js'
import zhCN from '../../src/i18n/zh-CN.js'
import en from '../../src/i18n/en.js'

describe('review stages', () => {
  it('orders the stages of docs/api.md, unknown ones last', () => {
    expect(STAGES[0]).toBe('planned')
    expect(STAGES.at(-1)).toBe('closed')
    expect(stageIndex('investigating')).toBeLessThan(stageIndex('hearing'))
    expect(stageIndex('voted')).toBeLessThan(stageIndex('rectifying'))
    expect(stageIndex('nonsense')).toBe(STAGES.length)
    const list = [{ id: 3, stage: 'closed' }, { id: 2, stage: 'planned' }, { id: 1, stage: 'planned' }, { id: 4, stage: 'voted' }]
    expect([...list].sort(compareByStage).map((r) => r.id)).toEqual([1, 2, 4, 3])
  })

  it('puts every stage in exactly one board column', () => {
    for (const s of STAGES) expect(BOARD_COLUMNS.filter((c) => c.stages.includes(s)), s).toHaveLength(1)
    expect(boardColumnOf('re_reporting')).toBe('rectifying')
    expect(boardColumnOf('escalation')).toBe('follow_up')
    expect(boardColumnOf('delivered')).toBe('opinions_adopted')
    expect(boardColumnOf('???')).toBe('planned')
  })

  it('groups reviews in column order', () => {
    const cols = groupByColumn([
      { id: 1, stage: 'investigating' },
      { id: 2, stage: 'planned' },
      { id: 3, stage: 're_reported' },
      { id: 4, stage: 'rectifying' },
    ])
    expect(cols.map((c) => c.key)).toEqual(BOARD_COLUMNS.map((c) => c.key))
    expect(cols.find((c) => c.key === 'planned').items.map((r) => r.id)).toEqual([2])
    // within a column the normal order: re_reported comes before rectifying in STAGES
    expect(cols.find((c) => c.key === 'rectifying').items.map((r) => r.id)).toEqual([3, 4])
  })

  it('every stage, grade, choice and column has words in both languages', () => {
    for (const lang of [zhCN, en]) {
      for (const s of STAGES) expect(lang.stages[s], s).toBeTruthy()
      for (const c of BOARD_COLUMNS) expect(lang.boardColumns[c.key], c.key).toBeTruthy()
      for (const g of ['satisfied', 'basically_satisfied', 'dissatisfied']) expect(lang.grades[g]).toBeTruthy()
    }
    expect(zhCN.grades.basically_satisfied).toBe('基本满意')
    expect(zhCN.choices.abstain).toBe('弃权')
  })
})

describe('grades and rates', () => {
  it('colours grades', () => {
    expect(gradeTagType('satisfied')).toBe('success')
    expect(gradeTagType('basically_satisfied')).toBe('warning')
    expect(gradeTagType('dissatisfied')).toBe('danger')
    expect(gradeTagType(null)).toBe('info')
  })
  it('takes the latest vote as the current grade', () => {
    expect(currentGrade({ grade: 'dissatisfied', re_vote_grade: 'basically_satisfied', follow_up_grade: null })).toBe('basically_satisfied')
    expect(currentGrade({ grade: 'satisfied', re_vote_grade: null, follow_up_grade: 'satisfied' })).toBe('satisfied')
    expect(currentGrade({ grade: null })).toBe(null)
  })
  it('formats {num, den} rates', () => {
    expect(formatRate({ num: 31, den: 32 })).toBe('96.9%')
    expect(formatRate({ num: 3, den: 3 })).toBe('100%')
    expect(formatRate({ num: 0, den: 0 })).toBe('')
    expect(formatRate(null)).toBe('')
    expect(rateValue({ num: 1, den: 4 })).toBe(25)
    expect(rateValue({ num: 1, den: 0 })).toBe(null)
  })
  it('computes turnout and ballot completeness', () => {
    expect(turnoutPercent(2, 14)).toBe(14)
    expect(turnoutPercent(0, 0)).toBe(0)
    expect(turnoutPercent(20, 14)).toBe(100)
    const items = [{ review_id: 1 }, { review_id: 2 }]
    expect(ballotComplete(items, { 1: 'satisfied' })).toBe(false)
    expect(ballotComplete(items, { 1: 'satisfied', 2: 'abstain' })).toBe(true)
    expect(ballotComplete(items, { 1: 'satisfied', 2: 'maybe' })).toBe(false)
    expect(ballotComplete([], {})).toBe(false)
  })
  it('normalises receipt codes as typed', () => {
    expect(normalizeReceipt(' fwrw bdtf-yav6 49mv ')).toBe('FWRW-BDTF-YAV6-49MV')
    expect(normalizeReceipt('')).toBe('')
  })
  it('sorts votes by purpose', () => {
    expect(sortVotes([{ purpose: 'follow_up' }, { purpose: 'hearing' }, { purpose: 're_report' }]).map((v) => v.purpose)).toEqual(['hearing', 're_report', 'follow_up'])
  })
})

describe('stage timeline', () => {
  const base = { stage: 'voted', grade: 'satisfied', created_at: '2026-03-01T02:00:00Z', work_report_on: '2026-09-20', adopted_on: null, delivered_on: null }
  it('marks done, current and future stages with the dates it knows', () => {
    const tl = stageTimeline(base)
    const byStage = Object.fromEntries(tl.map((x) => [x.stage, x]))
    expect(byStage.planned).toMatchObject({ status: 'done', date: '2026-03-01' })
    expect(byStage.report_submitted).toMatchObject({ status: 'done', date: '2026-09-20' })
    expect(byStage.voted.status).toBe('current')
    expect(byStage.closed.status).toBe('todo')
    expect(tl.map((x) => x.stage)).not.toContain('re_reporting')
  })
  it('shows the 不满意 path with its due date, and escalation when taken', () => {
    const tl = stageTimeline({ ...base, stage: 're_reporting', grade: 'dissatisfied', delivered_on: '2026-11-02', re_report_due_on: '2027-02-02' })
    const re = tl.find((x) => x.stage === 're_reporting')
    expect(re).toMatchObject({ status: 'current', due: '2027-02-02' })
    const esc = stageTimeline({ ...base, stage: 'escalation', grade: 'dissatisfied' }).map((x) => x.stage)
    expect(esc).toContain('escalation')
    expect(esc).not.toContain('follow_up')
  })
  it('marks everything done once closed, and fills dates from the audit trail', () => {
    const tl = stageTimeline({ ...base, stage: 'closed' }, { voted: '2026-10-15', report_submitted: '1999-01-01' })
    expect(tl.every((x) => x.status === 'done')).toBe(true)
    expect(tl.find((x) => x.stage === 'voted').date).toBe('2026-10-15')
    // the review record's own date wins
    expect(tl.find((x) => x.stage === 'report_submitted').date).toBe('2026-09-20')
  })
  it('reads stage dates from audit events in China time', () => {
    expect(cstDate('2026-11-23T17:00:00Z')).toBe('2026-11-24')
    const dates = stageDatesFromAudit([
      { seq: 5, action: 'review.vote_result', at: '2026-10-15T03:00:00Z', fields: ['stage', 'grade'] },
      { seq: 2, action: 'review.investigate', at: '2026-04-01T03:00:00Z', fields: ['stage', 'team'] },
      { seq: 3, action: 'review.task_done', at: '2026-05-01T03:00:00Z', fields: ['task'] },
      { seq: 9, action: 'review.vote_result', at: '2026-12-15T03:00:00Z', fields: ['stage', 're_vote_grade'] },
      { seq: 4, action: 'review.work_report', at: '2026-09-01T03:00:00Z', fields: ['work_report'] },
    ])
    expect(dates).toEqual({ investigating: '2026-04-01', voted: '2026-10-15' })
  })
})

describe('findings: days left', () => {
  it('uses the date in China Standard Time', () => {
    expect(chinaToday(Date.parse('2026-11-23T15:59:59Z'))).toBe('2026-11-23')
    expect(chinaToday(Date.parse('2026-11-23T16:00:00Z'))).toBe('2026-11-24')
  })
  it('counts calendar days to the due date, negative when overdue', () => {
    expect(daysLeft('2026-12-14', '2026-11-24')).toBe(20)
    expect(daysLeft('2026-11-24', '2026-11-24')).toBe(0)
    expect(daysLeft('2026-11-20', '2026-11-24')).toBe(-4)
    expect(daysLeft('2027-03-01', '2026-02-28')).toBe(366)
    expect(daysLeft('', '2026-11-24')).toBe(null)
    expect(dayNumber('2026-13-99')).not.toBe(null) // Date.UTC rolls over: only the shape is checked
    expect(dayNumber('26-1-1')).toBe(null)
  })
  it('knows overdue findings and colours the days left', () => {
    expect(isOverdue({ state: 'rectifying', due_on: '2026-11-20' }, '2026-11-24')).toBe(true)
    expect(isOverdue({ state: 'closed', due_on: '2026-11-20' }, '2026-11-24')).toBe(false)
    expect(isOverdue({ state: 'open', due_on: '2026-11-24' }, '2026-11-24')).toBe(false)
    expect(daysLeftClass(-1)).toBe('danger')
    expect(daysLeftClass(0)).toBe('warning')
    expect(daysLeftClass(10)).toBe('warning')
    expect(daysLeftClass(11)).toBe('')
    expect(daysLeftClass(null)).toBe('')
  })
  it('sizes and types evidence files', () => {
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(1536)).toBe('1.5 KB')
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB')
    expect(evidenceContentType('照片.JPG', '')).toBe('image/jpeg')
    expect(evidenceContentType('a.docx', '')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(evidenceContentType('a.pdf', 'application/pdf')).toBe('application/pdf')
    expect(evidenceContentType('noext', '')).toBe('application/octet-stream')
  })
})

describe('notifications', () => {
  it('links each entity type to its page', () => {
    expect(notificationTarget({ entity_type: 'finding', entity_id: '7' })).toBe('/findings/7')
    expect(notificationTarget({ entity_type: 'review', entity_id: 3 })).toBe('/reviews/3')
    expect(notificationTarget({ entity_type: 'vote_sheet', entity_id: '1' })).toBe('/vote/1')
    expect(notificationTarget({ entity_type: 'person', entity_id: '1' })).toBe(null)
    expect(notificationTarget({ entity_type: 'finding', entity_id: '' })).toBe(null)
  })
  it('collects ballot sheets from notices once each', () => {
    const ids = ballotSheetIds([
      { entity_type: 'vote_sheet', entity_id: '4' },
      { entity_type: 'finding', entity_id: '9' },
      { entity_type: 'vote_sheet', entity_id: '2' },
      { entity_type: 'vote_sheet', entity_id: '4' },
      { entity_type: 'vote_sheet', entity_id: 'x' },
    ])
    expect(ids).toEqual([4, 2])
  })
})
