// What escape.text makes of a value for the summary and the comment: nothing for a missing one,
// and a cut at the limit with an ellipsis.
import { describe, expect, it } from '@jest/globals'
import { link, text } from '../src/report/escape.js'

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

describe('link', () => {
  it('links an http or https URL, escaped', () => {
    expect(link('https://nvd.nist.gov/vuln/detail/CVE-1', 'CVE-1')).toBe(
      '<a href="https://nvd.nist.gov/vuln/detail/CVE-1">CVE-1</a>',
    )
    expect(link('http://security.example/a?b=1&c="2"', 'x')).toBe(
      '<a href="http://security.example/a?b=1&amp;c=&quot;2&quot;">x</a>',
    )
  })

  it('gives the label alone for anything else', () => {
    expect(link(undefined, 'CVE-1')).toBe('CVE-1')
    expect(link('', 'CVE-1')).toBe('CVE-1')
    expect(link('javascript:alert(1)//https://x.test', 'CVE-1')).toBe('CVE-1')
    expect(link('https://x.test/a b', 'CVE-1')).toBe('CVE-1')
    expect(link('ftp://x.test', 'CVE-1')).toBe('CVE-1')
  })

  it('links a URL of 2000 characters, not a longer one', () => {
    const url = (length: number) =>
      `https://x.test/${'a'.repeat(length - 'https://x.test/'.length)}`
    expect(link(url(2000), 'L')).toContain('<a href=')
    expect(link(url(2001), 'L')).toBe('L')
  })
})
