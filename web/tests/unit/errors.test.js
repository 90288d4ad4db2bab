import { describe, it, expect } from 'vitest'
import { matchField, mapApiError, errorText, normalizeFieldPath, canonicalCode } from '../../src/lib/errors.js'

const FORM = [
  'person_id',
  'position_id',
  'appointed_on',
  'term_end',
  'pre_appointment',
  'pre_appointment.exam_score',
  'pre_appointment.exam_pass_mark',
  'pre_appointment.oath_on',
]
const translate = (code) => ({ invalid_argument: '输入有误', conflict: '与已有记录冲突' })[code] || null
const err = (code, field, message = 'bad value') => ({ code, field, serverMessage: message })

describe('server error field mapping', () => {
  it('maps a plain field to its form item', () => {
    expect(matchField('term_end', FORM)).toBe('term_end')
  })

  it('maps dotted nested fields', () => {
    expect(matchField('pre_appointment.exam_score', FORM)).toBe('pre_appointment.exam_score')
    expect(matchField('pre_appointment.oath_on', FORM)).toBe('pre_appointment.oath_on')
  })

  it('falls back to the closest enclosing form item', () => {
    expect(matchField('pre_appointment.resit_score', FORM)).toBe('pre_appointment')
    expect(matchField('pre_appointment.exam_score.value', FORM)).toBe('pre_appointment.exam_score')
  })

  it('maps a bare nested name when it is unambiguous', () => {
    expect(matchField('exam_pass_mark', FORM)).toBe('pre_appointment.exam_pass_mark')
    expect(matchField('exam_score', ['a.exam_score', 'b.exam_score'])).toBeNull()
  })

  it('normalises array indices', () => {
    expect(normalizeFieldPath('items[2].name')).toBe('items.2.name')
    expect(matchField('fields[0]', ['fields.0'])).toBe('fields.0')
  })

  it('returns null for unknown or missing fields', () => {
    expect(matchField('X-CSRF-Token', FORM)).toBeNull()
    expect(matchField(undefined, FORM)).toBeNull()
    expect(matchField('name', [])).toBeNull()
  })

  it('builds text from the friendly code and the server message', () => {
    expect(errorText(err('invalid_argument', 'id_number', 'check digit mismatch'), translate)).toBe('输入有误（check digit mismatch）')
    expect(errorText(err('mystery', null, 'odd'), translate)).toBe('odd')
    expect(errorText({ code: 'conflict', serverMessage: '' }, translate)).toBe('与已有记录冲突')
    expect(errorText({ code: 'weird', serverMessage: '' }, translate)).toBe('weird')
  })

  it('decides between a form item and a message', () => {
    expect(mapApiError(err('invalid_argument', 'pre_appointment.exam_score'), FORM, translate)).toEqual({
      field: 'pre_appointment.exam_score',
      text: '输入有误（bad value）',
    })
    expect(mapApiError(err('permission_denied', 'X-CSRF-Token'), FORM, translate).field).toBeNull()
    expect(mapApiError(err('conflict', null), FORM, translate).field).toBeNull()
  })
})

describe('error codes', () => {
  it('maps other spellings to the documented code', () => {
    expect(canonicalCode('resource_exhausted')).toBe('rate_limited')
    expect(canonicalCode('conflict')).toBe('conflict')
  })
})
