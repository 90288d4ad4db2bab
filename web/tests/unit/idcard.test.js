import { describe, it, expect } from 'vitest'
import { computeCheckChar, hasValidCheckChar, normalizeIdNumber, looksLikeIdNumber } from '../../src/lib/idcard.js'

describe('GB 11643 check character', () => {
  it('matches the standard example', () => {
    // GB 11643-1999 Annex A example: 11010519491231002X
    expect(computeCheckChar('11010519491231002')).toBe('X')
    expect(hasValidCheckChar('11010519491231002X')).toBe(true)
  })

  it('computes digits as well as X', () => {
    expect(computeCheckChar('44052418800101001')).toBe('4')
    expect(hasValidCheckChar('440524188001010014')).toBe(true)
    expect(hasValidCheckChar('440524188001010015')).toBe(false)
  })

  it('accepts every check value 0-9 and X over a sweep of sequence codes', () => {
    const seen = new Set()
    for (let seq = 0; seq < 200; seq++) {
      const first17 = `42032219800101${String(seq).padStart(3, '0')}`
      const c = computeCheckChar(first17)
      expect('10X98765432').toContain(c)
      expect(hasValidCheckChar(first17 + c)).toBe(true)
      // any other character is wrong
      const wrong = c === '0' ? '1' : '0'
      expect(hasValidCheckChar(first17 + wrong)).toBe(false)
      seen.add(c)
    }
    expect(seen.size).toBe(11)
  })

  it('rejects malformed input', () => {
    expect(computeCheckChar('1234')).toBeNull()
    expect(computeCheckChar('4203221980010100A')).toBeNull()
    expect(hasValidCheckChar('')).toBe(false)
    expect(hasValidCheckChar(null)).toBe(false)
  })

  it('normalises full-width characters, spaces and lower-case x', () => {
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X')
    expect(normalizeIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X')
    expect(hasValidCheckChar('11010519491231002x')).toBe(true)
  })

  it('tells ID numbers from names', () => {
    expect(looksLikeIdNumber('11010519491231002X')).toBe(true)
    expect(looksLikeIdNumber('110105491231002')).toBe(true)
    expect(looksLikeIdNumber('李明')).toBe(false)
    expect(looksLikeIdNumber('4203')).toBe(false)
  })
})
