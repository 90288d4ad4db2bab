// Rectification (整改) helpers: dates in China Standard Time, days left (pure).

export const FINDING_STATES = ['open', 'rectifying', 'reported', 'closed']
export const VERDICTS = ['eliminated', 'partly_eliminated', 'not_eliminated']
export const DEADLINE_UNITS = ['working_days', 'calendar_days', 'months']
export const REPORT_KINDS = ['plan', 'progress', 'final']
export const SOURCE_KINDS = ['review_opinion', 'inspection', 'warning', 'tip', 'case']
export const SEVERITIES = ['low', 'medium', 'high']

const DAY_MS = 86_400_000
const CST_OFFSET_MS = 8 * 3_600_000

/** The date in China Standard Time (UTC+8, the server's calendar) as YYYY-MM-DD. */
export function chinaToday(now = Date.now()) {
  return new Date(now + CST_OFFSET_MS).toISOString().slice(0, 10)
}

/** Days since 1970-01-01 for a YYYY-MM-DD date, or null if it is not one. */
export function dayNumber(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date || ''))
  if (!m) return null
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (Number.isNaN(t)) return null
  return Math.round(t / DAY_MS)
}

/** Calendar days from `today` to `due` (0 = due today, negative = overdue); null if unknown. */
export function daysLeft(due, today = chinaToday()) {
  const d = dayNumber(due)
  const t = dayNumber(today)
  if (d == null || t == null) return null
  return d - t
}

/** A finding is overdue when it is not closed and its due date has passed. */
export function isOverdue(finding, today = chinaToday()) {
  if (!finding || finding.state === 'closed') return false
  const n = daysLeft(finding.due_on, today)
  return n != null && n < 0
}

/** 'danger' when overdue, 'warning' within 10 days (the sweep's due-soon window), else ''. */
export function daysLeftClass(n) {
  if (n == null) return ''
  if (n < 0) return 'danger'
  if (n <= 10) return 'warning'
  return ''
}

/** A human file size: 1536 -> "1.5 KB". */
export function formatSize(bytes) {
  if (bytes == null || Number.isNaN(Number(bytes))) return ''
  const b = Number(bytes)
  if (b < 1024) return `${b} B`
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`
  return `${(b / 1024 / 1024).toFixed(1)} MB`
}

// Content types the evidence upload accepts (docs/api.md), by file extension.
const TYPES = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
}

/** The Content-Type to send for a file: the browser's, else one guessed from the extension. */
export function evidenceContentType(name, browserType) {
  if (browserType) return browserType
  const ext = String(name || '').split('.').pop().toLowerCase()
  return TYPES[ext] || 'application/octet-stream'
}
