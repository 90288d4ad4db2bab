// Review (工作评议) helpers: stage order, board columns, grades, rates, the stage timeline (pure).

// Every stage code of docs/api.md, in the order a review normally passes them.
export const STAGES = [
  'planned',
  'investigating',
  'report_submitted',
  'hearing',
  'voted',
  'opinions_adopted',
  'delivered',
  're_reporting',
  're_reported',
  'rectifying',
  'follow_up',
  'escalation',
  'closed',
]

// Columns of the review board: one stage each, the 不满意 path and its ends grouped.
export const BOARD_COLUMNS = [
  { key: 'planned', stages: ['planned'] },
  { key: 'investigating', stages: ['investigating'] },
  { key: 'report_submitted', stages: ['report_submitted'] },
  { key: 'hearing', stages: ['hearing'] },
  { key: 'voted', stages: ['voted'] },
  { key: 'opinions_adopted', stages: ['opinions_adopted', 'delivered'] },
  { key: 'rectifying', stages: ['rectifying', 're_reporting', 're_reported'] },
  { key: 'follow_up', stages: ['follow_up', 'escalation'] },
  { key: 'closed', stages: ['closed'] },
]

export const GRADES = ['satisfied', 'basically_satisfied', 'dissatisfied']
export const CHOICES = ['satisfied', 'basically_satisfied', 'dissatisfied', 'abstain']
export const RECIPIENTS = ['official', 'unit', 'party_committee', 'government', 'organization_department']
export const TASK_METHODS = ['interview', 'document_review', 'questionnaire', 'client_feedback', 'online_notice']
export const MEASURE_KINDS = ['inquiry', 'thematic_inquiry', 'interpellation', 'special_investigation', 'dismissal_motion']
export const PROPOSERS = ['chairpersons_council', 'members', 'organ']
export const AGENDA_PURPOSES = ['hearing', 're_report', 'follow_up']

/** Position of a stage in the normal order; unknown stages go last. */
export function stageIndex(stage) {
  const i = STAGES.indexOf(stage)
  return i < 0 ? STAGES.length : i
}

/** Compares two reviews by stage, then by id (for sorting). */
export function compareByStage(a, b) {
  return stageIndex(a.stage) - stageIndex(b.stage) || (a.id || 0) - (b.id || 0)
}

/** The board column key for a stage (unknown stages fall in the first column that lists them, else 'planned'). */
export function boardColumnOf(stage) {
  const col = BOARD_COLUMNS.find((c) => c.stages.includes(stage))
  return col ? col.key : BOARD_COLUMNS[0].key
}

/** Reviews grouped by board column: [{ key, stages, items }] in column order. */
export function groupByColumn(reviews) {
  const cols = BOARD_COLUMNS.map((c) => ({ ...c, items: [] }))
  const byKey = Object.fromEntries(cols.map((c) => [c.key, c]))
  for (const r of reviews || []) byKey[boardColumnOf(r.stage)].items.push(r)
  for (const c of cols) c.items.sort(compareByStage)
  return cols
}

/** Element Plus tag type for a grade. */
export function gradeTagType(grade) {
  if (grade === 'satisfied') return 'success'
  if (grade === 'basically_satisfied') return 'warning'
  if (grade === 'dissatisfied') return 'danger'
  return 'info'
}

/** The grade that counts now: the follow-up vote, else the re-vote, else the first vote. */
export function currentGrade(review) {
  if (!review) return null
  return review.follow_up_grade || review.re_vote_grade || review.grade || null
}

/** {num, den} -> "96.9%" (one decimal, trailing .0 dropped); '' when den is 0 or missing. */
export function formatRate(rate, digits = 1) {
  if (!rate || !rate.den) return ''
  const pct = (rate.num * 100) / rate.den
  const s = pct.toFixed(digits)
  return `${s.endsWith('.0') ? s.slice(0, -2) : s}%`
}

/** {num, den} -> a number 0..100, or null. */
export function rateValue(rate) {
  if (!rate || !rate.den) return null
  return (rate.num * 100) / rate.den
}

/**
 * The stage timeline of a review: one entry per stage on its path, with the date the
 * review record gives for it (when it gives one) and whether it is done, current or to come.
 * The 不满意 path (re_reporting → re_reported) and escalation appear only when taken.
 */
export function stageTimeline(review, auditDates = {}) {
  if (!review) return []
  const stage = review.stage
  const grade = review.grade
  const path = ['planned', 'investigating', 'report_submitted', 'hearing', 'voted', 'opinions_adopted', 'delivered']
  const dissatisfiedPath = grade === 'dissatisfied' || ['re_reporting', 're_reported', 'escalation'].includes(stage) || !!review.re_report_on
  if (dissatisfiedPath) path.push('re_reporting', 're_reported')
  if (stage === 'escalation') path.push('escalation')
  else path.push('rectifying', 'follow_up')
  path.push('closed')
  const dates = {
    planned: review.created_at ? String(review.created_at).slice(0, 10) : null,
    report_submitted: review.work_report_on || null,
    opinions_adopted: review.adopted_on || null,
    delivered: review.delivered_on || null,
    re_reporting: review.delivered_on && dissatisfiedPath ? review.delivered_on : null,
    re_reported: review.re_report_on || null,
  }
  for (const [k, v] of Object.entries(auditDates || {})) if (!dates[k] && v) dates[k] = v
  const due = { re_reporting: review.re_report_due_on || null }
  let current = path.indexOf(stage)
  if (current < 0) current = stageIndex(stage) >= stageIndex('rectifying') ? path.indexOf('rectifying') : 0
  return path.map((s, i) => ({
    stage: s,
    date: dates[s] || null,
    due: due[s] || null,
    status: stage === 'closed' || i < current ? 'done' : i === current ? 'current' : 'todo',
  }))
}

// Audit actions on a review that move it into one stage (docs: review.* events).
const ACTION_STAGE = {
  'review.schedule': 'planned',
  'review.investigate': 'investigating',
  'review.work_report': 'report_submitted',
  'review.vote_result': 'voted',
  'review.adopt': 'opinions_adopted',
  'review.re_report': 're_reported',
  'review.follow_up': 'follow_up',
  'review.close': 'closed',
}

/** RFC 3339 instant -> its date in China Standard Time (UTC+8), YYYY-MM-DD. */
export function cstDate(instant) {
  const t = Date.parse(instant)
  if (Number.isNaN(t)) return null
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)
}

/**
 * Dates a review entered its stages, read from its audit events (any order): the first
 * event of each stage-moving action that touched the stage field. { stage: 'YYYY-MM-DD' }.
 */
export function stageDatesFromAudit(events) {
  const out = {}
  const sorted = [...(events || [])].sort((a, b) => (a.seq || 0) - (b.seq || 0))
  for (const ev of sorted) {
    const stage = ACTION_STAGE[ev.action]
    if (!stage || out[stage]) continue
    const fields = Array.isArray(ev.fields) ? ev.fields : []
    if (fields.length && !fields.includes('stage') && stage !== 'planned') continue
    const d = cstDate(ev.at)
    if (d) out[stage] = d
  }
  return out
}

/** A vote result's purpose (hearing / re_report / follow_up) in a stable order. */
export function sortVotes(votes) {
  const order = { hearing: 0, re_report: 1, follow_up: 2 }
  return [...(votes || [])].sort((a, b) => (order[a.purpose] ?? 9) - (order[b.purpose] ?? 9) || (a.sheet_id || 0) - (b.sheet_id || 0))
}

/** Choices of a ballot are complete when every item has one. */
export function ballotComplete(items, choices) {
  return (items || []).length > 0 && items.every((it) => CHOICES.includes(choices[it.review_id]))
}

/** Receipt codes are shown and typed in groups of four: normalise user input. */
export function normalizeReceipt(input) {
  const s = String(input || '').toUpperCase().replace(/[^0-9A-Z]/g, '')
  return s.match(/.{1,4}/g)?.join('-') || ''
}

/** Turnout percentage of those present (0..100, integer). */
export function turnoutPercent(voted, present) {
  if (!present) return 0
  return Math.min(100, Math.round((voted * 100) / present))
}
