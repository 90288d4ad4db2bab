// 公民身份号码 (GB 11643-1999) helpers. The server is the authority on validity
// (region codes, dates); these helpers only normalise input and compute the check
// character so the UI can tell an ID number from a name in a search box.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

/** Full-width digits/letters to ASCII, spaces removed, x upper-cased. */
export function normalizeIdNumber(input) {
  if (input == null) return ''
  let out = ''
  for (const ch of String(input)) {
    const code = ch.codePointAt(0)
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0)
    else if (code === 0x3000) out += ' '
    else out += ch
  }
  return out.replace(/\s+/g, '').toUpperCase()
}

/** Check character for the first 17 digits, or null if they are not 17 digits. */
export function computeCheckChar(first17) {
  const s = normalizeIdNumber(first17)
  if (!/^\d{17}$/.test(s)) return null
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

/** True when an 18-character number has a correct check character (format only). */
export function hasValidCheckChar(idNumber) {
  const s = normalizeIdNumber(idNumber)
  if (!/^\d{17}[\dX]$/.test(s)) return false
  return computeCheckChar(s.slice(0, 17)) === s[17]
}

/** Looks like a (possibly invalid) ID number rather than a name: 15 digits or 17 digits + digit/X. */
export function looksLikeIdNumber(input) {
  const s = normalizeIdNumber(input)
  return /^\d{15}$/.test(s) || /^\d{17}[\dX]$/.test(s)
}
