import { describe, it, expect } from 'vitest'
import { tomlString, tomlTopValue, setTomlTopKeys, nextCustomRuleId, copyRuleToml, ruleTemplate } from '../../src/lib/monitor.js'

const R01 = `# Built-in rule (issue 5 (a)); format: docs/monitor-rules.md. A published version is never
# edited: raise \`version\` and keep the old file's behaviour in the changelog of the commit.
id = "R01"
version = 3
title = "死亡人员仍领取补贴资金"
level = "red"
valid_from = 2015-01-01
kind = "match"

# A payment made after the payee's date of death.
[inputs.left]
dataset = "payments"
key = "payee_id"
id = "not-top-level"

[params]
relation = "after"
`

describe('rule TOML helpers', () => {
  it('quotes TOML basic strings', () => {
    expect(tomlString('a"b\\c')).toBe('"a\\"b\\\\c"')
    expect(tomlString('x\ny')).toBe('"x\\ny"')
    expect(tomlString(null)).toBe('""')
  })

  it('reads top-level values only', () => {
    expect(tomlTopValue(R01, 'id')).toBe('R01')
    expect(tomlTopValue(R01, 'version')).toBe('3')
    expect(tomlTopValue(R01, 'valid_from')).toBe('2015-01-01')
    expect(tomlTopValue(R01, 'title')).toBe('死亡人员仍领取补贴资金')
    expect(tomlTopValue(R01, 'dataset')).toBe('')
    expect(tomlTopValue('level = "red"   # comment', 'level')).toBe('red')
    expect(tomlTopValue('version = 2 # two', 'version')).toBe('2')
    expect(tomlTopValue('title = "a \\"q\\""', 'title')).toBe('a "q"')
    expect(tomlTopValue("title = 'lit'", 'title')).toBe('lit')
    expect(tomlTopValue(null, 'id')).toBe('')
  })

  it('sets top-level keys in place and leaves tables alone', () => {
    const out = setTomlTopKeys(R01, { id: 'X01', version: 1, title: '新标题' })
    expect(tomlTopValue(out, 'id')).toBe('X01')
    expect(tomlTopValue(out, 'version')).toBe('1')
    expect(tomlTopValue(out, 'title')).toBe('新标题')
    expect(out).toContain('id = "not-top-level"')
    expect(out.split('\n').length).toBe(R01.split('\n').length)
  })

  it('adds missing keys after the leading comments', () => {
    const out = setTomlTopKeys('# c\nkind = "match"\n[params]\n', { id: 'X02' })
    expect(out.split('\n')).toEqual(['# c', 'id = "X02"', 'kind = "match"', '[params]', ''])
    expect(setTomlTopKeys('', { id: 'X03', version: 1 })).toBe('id = "X03"\nversion = 1\n')
  })

  it('picks the first free custom id', () => {
    expect(nextCustomRuleId([])).toBe('X01')
    expect(nextCustomRuleId(['R01', 'X01', 'x02'])).toBe('X03')
    expect(nextCustomRuleId(undefined, 'C')).toBe('C01')
  })

  it('copies a rule under a new id with version 1, without the original header comment', () => {
    const out = copyRuleToml(R01, 'X01')
    expect(out.startsWith('id = "X01"\nversion = 1\n')).toBe(true)
    expect(out).not.toContain('Built-in rule')
    expect(out).toContain('# A payment made after')
    expect(out).toContain('[inputs.left]')
    expect(tomlTopValue(out, 'title')).toBe('死亡人员仍领取补贴资金')
  })

  it('builds a template with every top-level key of the format', () => {
    const t = ruleTemplate('X05', new Date(2026, 0, 2))
    for (const k of ['id', 'version', 'title', 'legal_basis', 'level', 'owner', 'valid_from', 'kind']) {
      expect(t).toMatch(new RegExp(`^${k} = `, 'm'))
    }
    expect(tomlTopValue(t, 'id')).toBe('X05')
    expect(tomlTopValue(t, 'valid_from')).toBe('2026-01-02')
    expect(tomlTopValue(t, 'kind')).toBe('match')
    expect(t).toContain('[inputs.left]')
    expect(t).toContain('[params]')
  })
})
