// Untrusted text on one log line: what plainLine keeps and where it cuts.
import { describe, expect, it } from '@jest/globals'
import { countOf, listOf, plainLine } from '../src/kernel/text.js'

describe('plainLine', () => {
  it('turns a line break, even CRLF, into one space', () => {
    expect(plainLine('openssl: buffer overflow\r\n in X509')).toBe(
      'openssl: buffer overflow  in X509',
    )
    expect(plainLine('first\r\nsecond')).toBe('first second')
  })

  it('keeps a line of exactly the limit whole and cuts a longer one to the limit', () => {
    expect(plainLine('x'.repeat(500))).toBe('x'.repeat(500))
    expect(plainLine('x'.repeat(501))).toBe(`${'x'.repeat(499)}…`)
    expect(plainLine('abcdef', 6)).toBe('abcdef')
    expect(plainLine('abcdefg', 6)).toBe('abcde…')
  })
})

describe('listOf', () => {
  it('splits on newlines and commas, trimming and dropping empty entries', () => {
    expect(listOf(' v1, v2\n\n v3 ,')).toEqual(['v1', 'v2', 'v3'])
  })
})

describe('countOf', () => {
  it('writes the noun in the singular for one, and in the plural for any other count', () => {
    expect(countOf(1, 'finding')).toBe('1 finding')
    expect(countOf(0, 'finding')).toBe('0 findings')
    expect(countOf(2, 'finding')).toBe('2 findings')
  })
})
