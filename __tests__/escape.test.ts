// What escape.text makes of a value for the summary and the comment: nothing for a missing one,
// and a cut at the limit with an ellipsis.
import { describe, expect, it } from '@jest/globals'
import { text } from '../src/report/escape.js'

describe('text', () => {
  it('writes nothing for a missing value, and numbers as they are', () => {
    expect(text(undefined)).toBe('')
    expect(text(0)).toBe('0')
  })

  it('keeps a value of exactly the limit whole and cuts a longer one to the limit', () => {
    expect(text('x'.repeat(200))).toBe('x'.repeat(200))
    expect(text('x'.repeat(201))).toBe(`${'x'.repeat(199)}…`)
    expect(text('abcdef', 4)).toBe('abc…')
  })
})
