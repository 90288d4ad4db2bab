// Turns a server error ({"error":{"code","message","field"}}) into what a form shows:
// the form item the message belongs to (if any) and the text to display.

// Other spellings of the error codes of docs/api.md, mapped to the documented code.
const CODE_ALIASES = { resource_exhausted: 'rate_limited' }

/** The documented error code for a code the server sent. */
export function canonicalCode(code) {
  return CODE_ALIASES[code] || code
}

/** Normalise a server field path: "a[0].b" -> "a.0.b", trims spaces. */
export function normalizeFieldPath(field) {
  if (field == null) return ''
  return String(field).trim().replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '')
}

/**
 * Finds the form prop that a server field belongs to.
 * Exact match first; else the longest known prop that is a dotted prefix of the field
 * (server "pre_appointment.exam_score.value" -> form "pre_appointment.exam_score");
 * else a known prop whose last segment equals the field (server "exam_score" for a
 * nested form prop "pre_appointment.exam_score") when that is unambiguous.
 */
export function matchField(field, knownProps) {
  const f = normalizeFieldPath(field)
  if (!f || !knownProps || knownProps.length === 0) return null
  if (knownProps.includes(f)) return f
  let best = null
  for (const p of knownProps) {
    if (f.startsWith(p + '.') && (!best || p.length > best.length)) best = p
  }
  if (best) return best
  if (!f.includes('.')) {
    const tails = knownProps.filter((p) => p.split('.').pop() === f)
    if (tails.length === 1) return tails[0]
  }
  return null
}

/**
 * Builds display text for an error. `translate(code)` gives the friendly text for a
 * server error code (or null when unknown). The server's own message is kept too.
 */
export function errorText(err, translate) {
  const code = err && err.code ? err.code : 'internal'
  const friendly = (translate && translate(code, err)) || null
  const server = err && err.serverMessage ? String(err.serverMessage) : ''
  if (friendly && server && friendly !== server) return `${friendly}（${server}）`
  return friendly || server || code
}

/**
 * Decides where an error goes: { field: prop|null, text }.
 * `field` is null when the error names no field or a field the form does not have;
 * the caller then shows it as a message.
 */
export function mapApiError(err, knownProps, translate) {
  const text = errorText(err, translate)
  const field = err && err.field ? matchField(err.field, knownProps) : null
  return { field, text }
}
