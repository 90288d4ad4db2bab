// Turning AuditEvent records into words (pure; the translator is passed in).

const PAST_TO_BASE = {
  created: 'create',
  updated: 'update',
  deleted: 'delete',
  ended: 'end',
  revealed: 'reveal',
  unlocked: 'unlock',
  locked: 'lock',
  disabled: 'disable',
  enrolled: 'totp_enroll',
  verified: 'verify',
  logged_in: 'login',
  logged_out: 'logout',
  patch: 'update',
  patched: 'update',
  edit: 'update',
  edited: 'update',
  totp_reset: 'reset_totp',
  totp_enrolled: 'totp_enroll',
  reset_totp: 'reset_totp',
}

/** "person.create" / "person.created" / "person:update" -> { entity: "person", verb: "create" }. */
export function parseAction(action) {
  if (!action) return { entity: '', verb: '' }
  const parts = String(action).split(/[.:/]/)
  if (parts.length < 2) return { entity: '', verb: normalizeVerb(parts[0]) }
  const entity = parts[0]
  const verb = normalizeVerb(parts.slice(1).join('_'))
  return { entity, verb }
}

export function normalizeVerb(v) {
  const s = String(v || '').toLowerCase().replace(/-/g, '_')
  return PAST_TO_BASE[s] || s
}

/**
 * Words for an action: "新增人员" / "Created person". `t(key, params)` translates,
 * `te(key)` says whether a key exists. Unknown actions come back as they are.
 */
export function describeAction(action, t, te) {
  const whole = `auditActions.${String(action || '').replace(/[.:/]/g, '_')}`
  if (action && te(whole)) return t(whole)
  const { entity, verb } = parseAction(action)
  const verbKey = `auditVerbs.${verb}`
  if (!verb || !te(verbKey)) return String(action || '')
  const entityKey = `entities.${entity}`
  const entityWord = entity ? (te(entityKey) ? t(entityKey) : entity) : ''
  if (!entityWord) return t(verbKey)
  return t('audit.actionPattern', { verb: t(verbKey), entity: entityWord })
}

const FIELD_LIST = /^[a-z_][\w.]*(\s*,\s*[a-z_][\w.]*)*$/

/** The changed fields an event names, whatever shape the server gives them. */
export function changedFields(ev) {
  if (!ev) return []
  let src = ev.changed_fields ?? ev.changes ?? ev.fields ?? (ev.summary && typeof ev.summary === 'object' ? ev.summary : null)
  // the audit log keeps "a comma-separated list of the changed fields" as the summary
  if (!src && typeof ev.summary === 'string' && FIELD_LIST.test(ev.summary.trim())) src = ev.summary.split(',').map((f) => f.trim())
  if (!src) return []
  if (Array.isArray(src)) {
    return src.map((x) => (x && typeof x === 'object' ? x.field || x.name || JSON.stringify(x) : String(x)))
  }
  if (typeof src === 'object') return Object.keys(src)
  return []
}

/** A changed field's name in words, or as it is. */
export function fieldLabel(field, t, te) {
  const key = `auditFields.${field}`
  return te(key) ? t(key) : field
}

/** The summary text of an event, when it is text. */
export function summaryText(ev) {
  if (!ev || ev.summary == null || typeof ev.summary !== 'string') return ''
  if (FIELD_LIST.test(ev.summary.trim())) return '' // a field list: shown as tags
  return ev.summary
}

/** "user:3" -> display; actor_name wins when the server filled it in. */
export function actorLabel(ev, t) {
  if (!ev) return ''
  if (ev.actor_name) return ev.actor_name
  if (ev.actor === 'system') return t('audit.system')
  if (ev.actor === 'cli') return t('audit.cli')
  return ev.actor || ''
}

/** Merges several newest-first event lists into one, newest first, without duplicates. */
export function mergeEvents(lists) {
  const bySeq = new Map()
  for (const list of lists) for (const ev of list || []) bySeq.set(ev.seq, ev)
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq)
}
