// Display helpers (pure).

function pad(n) {
  return String(n).padStart(2, '0')
}

/** RFC 3339 instant -> "YYYY-MM-DD HH:mm:ss" in the browser's time zone. */
export function formatInstant(value) {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** Today's date as YYYY-MM-DD in the browser's time zone. */
export function today() {
  const d = new Date()
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** TOTP secret in groups of four: "JBSW Y3DP EHPK 3PXP". */
export function groupSecret(secret) {
  if (!secret) return ''
  const s = String(secret).replace(/\s+/g, '')
  return s.match(/.{1,4}/g).join(' ')
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); null if absent. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null || value === '') return null
  const v = String(value).trim()
  if (/^\d+$/.test(v)) return Number(v)
  const at = Date.parse(v)
  if (Number.isNaN(at)) return null
  return Math.max(0, Math.ceil((at - now) / 1000))
}
