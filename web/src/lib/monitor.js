// Monitoring (智能比对预警) helpers: codes, tag styles, query building, upload parameters,
// evidence and the dashboard's chart data (pure).

// Codes of docs/api.md ("Monitoring — datasets, rules and warnings"), in display order.
export const LEVELS = ['red', 'orange', 'yellow', 'info']
export const WARNING_STATES = ['new', 'assigned', 'verified', 'dismissed']
export const IMPORT_MODES = ['reject', 'quarantine']
// '' = let the server detect it; the others are the values ?encoding= takes.
export const ENCODINGS = ['', 'utf-8', 'gb18030']
export const UPLOAD_ACCEPT = '.csv,.txt,.xlsx,.jsonl,.ndjson,.json'

const LEVEL_COLORS = { red: '#d93026', orange: '#e8710a', yellow: '#d4a106', info: '#909399' }
const STATE_COLORS = { new: '#409eff', assigned: '#e6a23c', verified: '#2e7d32', dismissed: '#909399' }

/** A level's colour for charts (grey for an unknown level). */
export function levelColor(level) {
  return LEVEL_COLORS[level] || LEVEL_COLORS.info
}

/** A state's colour for charts. */
export function stateColor(state) {
  return STATE_COLORS[state] || STATE_COLORS.dismissed
}

/** The element-plus tag type of a warning state. */
export function stateTagType(state) {
  if (state === 'new') return 'primary'
  if (state === 'assigned') return 'warning'
  if (state === 'verified') return 'success'
  return 'info'
}

/** Verified and dismissed warnings accept no further change (the server answers 409). */
export function isFinished(state) {
  return state === 'verified' || state === 'dismissed'
}

/** Query of GET /warnings (and /warnings/export): only the filters that are set. */
export function warningQuery({ orgId, ruleId, level, state } = {}, page = {}) {
  const q = {}
  if (orgId) q.org_id = orgId
  if (ruleId) q.rule_id = ruleId
  if (LEVELS.includes(level)) q.level = level
  if (WARNING_STATES.includes(state)) q.state = state
  if (page.limit) q.limit = page.limit
  if (page.cursor) q.cursor = page.cursor
  return q
}

/** The filters in a route query (strings only; unknown levels and states dropped). */
export function filtersFromRoute(query = {}) {
  const s = (v) => (typeof v === 'string' ? v : '')
  return {
    orgId: orgIdFromQuery(query.org_id),
    ruleId: s(query.rule_id),
    level: LEVELS.includes(query.level) ? query.level : '',
    state: WARNING_STATES.includes(query.state) ? query.state : '',
  }
}

const CONTENT_TYPES = {
  csv: 'text/csv',
  txt: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jsonl: 'application/x-ndjson',
  ndjson: 'application/x-ndjson',
  json: 'application/x-ndjson',
}

/** The upload's Content-Type: the browser's type for the file, else by extension, else octet-stream. */
export function datasetContentType(name, browserType) {
  if (browserType) return browserType
  const ext = String(name || '').toLowerCase().split('.').pop()
  return CONTENT_TYPES[ext] || 'application/octet-stream'
}

/** Query of POST /dataset-versions; mode reject and detected encoding are left to the default. */
export function uploadQuery({ dataset, orgId, fileName, mode, encoding }) {
  const q = { dataset, org_id: orgId, name: fileName }
  q.mode = mode === 'quarantine' ? 'quarantine' : 'reject'
  if (encoding) q.encoding = encoding
  return q
}

/** Evidence {"payments":{"rows":[1],"total":1}} → [{ dataset, rows, total, more }]. */
export function evidenceList(evidence) {
  if (!evidence || typeof evidence !== 'object') return []
  return Object.entries(evidence)
    .map(([dataset, e]) => {
      const rows = Array.isArray(e && e.rows) ? e.rows : []
      const total = Number(e && e.total) || rows.length
      return { dataset, rows, total, more: Math.max(0, total - rows.length) }
    })
    .sort((a, b) => a.dataset.localeCompare(b.dataset))
}

/** A skipped-rule line of a run ("R04: no dataset vehicles imported") → { ruleId, reason }. */
export function parseSkipped(line) {
  const m = /^([A-Za-z]\w*):\s*(.*)$/.exec(String(line || ''))
  return m ? { ruleId: m[1], reason: m[2] } : { ruleId: '', reason: String(line || '') }
}

/** Sums stat items by one field: [{ key, count }] ordered by `order` (unknown keys after, sorted). */
export function countBy(items, field, order = null) {
  const sums = new Map()
  for (const it of items || []) {
    const k = it[field] == null ? '' : String(it[field])
    sums.set(k, (sums.get(k) || 0) + (Number(it.count) || 0))
  }
  const keys = [...sums.keys()]
  const rank = (k) => (order && order.includes(k) ? order.indexOf(k) : Infinity)
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return keys.map((key) => ({ key, count: sums.get(key) }))
}

/** Months from the first to the last month in the stats, gaps filled with 0: { months, counts }. */
export function monthSeries(items) {
  const by = new Map(countBy(items, 'month').filter((x) => /^\d{4}-\d{2}$/.test(x.key)).map((x) => [x.key, x.count]))
  if (!by.size) return { months: [], counts: [] }
  const keys = [...by.keys()].sort()
  let [y, m] = keys[0].split('-').map(Number)
  const [ly, lm] = keys[keys.length - 1].split('-').map(Number)
  const months = []
  while (y < ly || (y === ly && m <= lm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`)
    m += 1
    if (m > 12) {
      m = 1
      y += 1
    }
  }
  return { months, counts: months.map((k) => by.get(k) || 0) }
}

/** Rules by count, stacked by level: { rules, series: [{ level, data }] } for a bar chart. */
export function ruleLevelMatrix(items) {
  const rules = countBy(items, 'rule_id').sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).map((x) => x.key)
  const levels = countBy(items, 'level', LEVELS).map((x) => x.key)
  const series = levels.map((level) => ({
    level,
    data: rules.map((r) => (items || []).filter((it) => it.rule_id === r && it.level === level).reduce((s, it) => s + (Number(it.count) || 0), 0)),
  }))
  return { rules, series }
}

/** A positive organisation id from a route query value, else null. */
export function orgIdFromQuery(v) {
  const n = typeof v === 'string' && /^[1-9]\d{0,17}$/.test(v) ? Number(v) : NaN
  return Number.isSafeInteger(n) ? n : null
}

/**
 * Warnings per organisation from GET /warnings/stats (each item is already rolled up to the
 * organisation viewed or one of its children): [{ id, name, count, red, open, self }], most
 * warnings first; `self` marks the organisation viewed (its own warnings, not drillable).
 */
export function orgBreakdown(items, viewedId) {
  const by = new Map()
  for (const it of items || []) {
    const n = Number(it.count) || 0
    const row = by.get(it.org_id) || { id: it.org_id, name: it.org_name || `#${it.org_id}`, count: 0, red: 0, open: 0, self: it.org_id === viewedId }
    row.count += n
    if (it.level === 'red') row.red += n
    if (it.state === 'new' || it.state === 'assigned') row.open += n
    by.set(it.org_id, row)
  }
  return [...by.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
}

/**
 * The breadcrumb of a drill-down: from the caller's own organisation to the one viewed
 * (`org` as GET /orgs/{id} returns it, with its ancestors root first). Ancestors above the
 * caller's organisation are left out: their statistics are out of the caller's scope.
 */
export function scopeTrail(org, userOrgId) {
  if (!org) return []
  const chain = [...(org.ancestors || []).map((a) => ({ id: a.id, name: a.name })), { id: org.id, name: org.name }]
  const from = chain.findIndex((o) => o.id === userOrgId)
  return from < 0 ? chain.slice(-1) : chain.slice(from)
}

/** Total of all stat items. */
export function totalCount(items) {
  return (items || []).reduce((s, it) => s + (Number(it.count) || 0), 0)
}

// ---------- rule TOML (docs/monitor-rules.md) ----------

/** A TOML basic string: "…" with backslashes, quotes and control characters escaped. */
export function tomlString(value) {
  const s = String(value == null ? '' : value)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
  return `"${s}"`
}

const TOP_KEY = (key) => new RegExp(`^\\s*${key.replace(/[-]/g, '\\-')}\\s*=`)
const isTableHeader = (line) => /^\s*\[/.test(line)

/**
 * The value of a top-level key (before the first [table]) of a rule's TOML: a string's
 * contents unescaped, else the raw text (numbers, dates); '' when the key is absent.
 */
export function tomlTopValue(toml, key) {
  for (const line of String(toml || '').split('\n')) {
    if (isTableHeader(line)) break
    if (!TOP_KEY(key).test(line)) continue
    const raw = line.slice(line.indexOf('=') + 1).trim()
    const str = /^"((?:[^"\\]|\\.)*)"/.exec(raw)
    if (str) return str[1].replace(/\\(["\\nrt])/g, (_, c) => ({ n: '\n', r: '\r', t: '\t' })[c] || c)
    const lit = /^'([^']*)'/.exec(raw)
    if (lit) return lit[1]
    return raw.replace(/\s+#.*$/, '')
  }
  return ''
}

/**
 * Sets top-level keys of a rule's TOML ({ id: 'X01', version: 1 }): replaces each key's line
 * in place (before the first [table]); keys not present are added after the leading comments.
 * Strings are quoted; numbers are written as they are.
 */
export function setTomlTopKeys(toml, values) {
  const lines = String(toml || '').split('\n')
  let end = lines.findIndex(isTableHeader)
  if (end < 0) end = lines.length
  const render = (k, v) => `${k} = ${typeof v === 'number' ? String(v) : tomlString(v)}`
  const missing = []
  for (const [k, v] of Object.entries(values)) {
    if (v == null) continue
    const i = lines.slice(0, end).findIndex((l) => TOP_KEY(k).test(l))
    if (i >= 0) lines[i] = render(k, v)
    else missing.push(render(k, v))
  }
  if (missing.length) {
    let at = 0
    while (at < end && /^\s*(#.*)?$/.test(lines[at]) && lines[at].trim() !== '') at++
    lines.splice(at, 0, ...missing)
  }
  return lines.join('\n')
}

/** The first free custom rule id: X01, X02, … (ids compared case-insensitively). */
export function nextCustomRuleId(existingIds, prefix = 'X') {
  const taken = new Set((existingIds || []).map((id) => String(id).toUpperCase()))
  for (let n = 1; n < 1000; n++) {
    const id = `${prefix}${String(n).padStart(2, '0')}`
    if (!taken.has(id.toUpperCase())) return id
  }
  return `${prefix}${Date.now()}`
}

/**
 * A new rule from another rule's TOML: the given id, version 1, and the leading comment block
 * (which describes the original, e.g. "Built-in rule …") dropped.
 */
export function copyRuleToml(toml, newId) {
  const lines = String(toml || '').split('\n')
  let start = 0
  while (start < lines.length && /^\s*#/.test(lines[start])) start++
  const body = lines.slice(start).join('\n')
  return setTomlTopKeys(body, { id: newId, version: 1 })
}

/** A template for a new rule (kind match, as in docs/monitor-rules.md) with the given id. */
export function ruleTemplate(id = 'X01', today = new Date()) {
  const p = (n) => String(n).padStart(2, '0')
  const date = `${today.getFullYear()}-${p(today.getMonth() + 1)}-${p(today.getDate())}`
  return [
    `id = ${tomlString(id)}`,
    'version = 1',
    'title = ""',
    'legal_basis = ""',
    'level = "yellow"                # red | orange | yellow | info',
    'owner = ""',
    `valid_from = ${date}`,
    'kind = "match"                  # match | link | count | duplicate | outlier | window | deadline | threshold',
    '',
    '[inputs.left]',
    'dataset = "payments"',
    'key = "payee_id"',
    'date = "paid_on"',
    '',
    '[inputs.right]',
    'dataset = "people"',
    'key = "id_number"',
    'date = "death_date"',
    '',
    '[params]',
    'relation = "after"',
    'grace_days = 0',
    '',
  ].join('\n')
}
