import { describe, it, expect } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createI18n } from 'vue-i18n'
import zhCN from '../../src/i18n/zh-CN.js'
import en from '../../src/i18n/en.js'

function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object') flatten(v, key, out)
    else out[key] = v
  }
  return out
}

const zh = flatten(zhCN)
const enFlat = flatten(en)
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('i18n messages', () => {
  it('zh-CN and en have the same keys', () => {
    const zk = Object.keys(zh).sort()
    const ek = Object.keys(enFlat).sort()
    expect(zk.filter((k) => !(k in enFlat))).toEqual([])
    expect(ek.filter((k) => !(k in zh))).toEqual([])
  })

  it('every message is a non-empty string with the same placeholders in both languages', () => {
    for (const [k, v] of Object.entries(zh)) {
      expect(typeof v, k).toBe('string')
      expect(v.length, k).toBeGreaterThan(0)
      expect(placeholders(enFlat[k]), k).toEqual(placeholders(v))
    }
  })

  it('no message uses vue-i18n syntax by accident (| plural, @ link)', () => {
    for (const [k, v] of [...Object.entries(zh), ...Object.entries(enFlat)]) {
      expect(/[|@]/.test(v), `${k}: ${v}`).toBe(false)
    }
  })

  it('every message compiles and renders', () => {
    const problems = []
    const i18n = createI18n({
      legacy: false,
      locale: 'zh-CN',
      messages: { 'zh-CN': zhCN, en },
      missingWarn: false,
      fallbackWarn: false,
      warnHtmlMessage: false,
    })
    for (const locale of ['zh-CN', 'en']) {
      i18n.global.locale.value = locale
      for (const k of Object.keys(zh)) {
        const params = Object.fromEntries(placeholders(zh[k]).map((p) => [p, 'X']))
        let out
        try {
          out = i18n.global.t(k, params)
        } catch (e) {
          problems.push(`${locale} ${k}: ${e.message}`)
          continue
        }
        if (!out || out === k) problems.push(`${locale} ${k}: rendered as "${out}"`)
        if (/\{\w+\}/.test(out)) problems.push(`${locale} ${k}: placeholder left in "${out}"`)
      }
    }
    expect(problems).toEqual([])
  })

  it('every literal key used in the source exists', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../src')
    const files = []
    const walk = (d) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.(vue|js)$/.test(f) && !p.includes(`${join('src', 'i18n')}`)) files.push(p)
      }
    }
    walk(root)
    const missing = []
    const re = /\bt\(\s*'([a-zA-Z][\w]*(?:\.[\w]+)+)'/g
    for (const f of files) {
      const src = readFileSync(f, 'utf8')
      for (const m of src.matchAll(re)) if (!(m[1] in zh)) missing.push(`${f}: ${m[1]}`)
      // keys in route meta / menu entries
      for (const m of src.matchAll(/\bkey:\s*'([a-zA-Z]\w*\.[\w.]+)'/g)) if (!(m[1] in zh)) missing.push(`${f}: ${m[1]}`)
      for (const m of src.matchAll(/messageKey:\s*'([\w.]+)'/g)) if (!(m[1] in zh)) missing.push(`${f}: ${m[1]}`)
    }
    expect(missing).toEqual([])
  })
})
