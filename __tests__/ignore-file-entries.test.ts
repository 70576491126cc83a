// The messages of a bad ignore-file entry, which must let the user fix the file without
// guessing, and what happens to rules once their date has passed.
import { describe, expect, it } from '@jest/globals'
import { parseIgnoreFile } from '../src/inputs/ignore-rules.js'
import { expiredWarning, splitExpired } from '../src/facts/ignore.js'

const FORMAT = 'Each entry is { id, reason, expires: YYYY-MM-DD (optional), package (optional) }.'

function problemOf(text: string): string {
  try {
    parseIgnoreFile(text, '.ecr-ignore.yml')
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected the file to be refused')
}

describe('parseIgnoreFile', () => {
  it('quotes the first line of the YAML error, with its line and column', () => {
    expect(problemOf('- id: [CVE-2024-1\n')).toMatch(
      /^Input 'ignore-file': \.ecr-ignore\.yml is not valid YAML: .+ \(2:1\)\. Each entry/,
    )
  })

  it('refuses an empty entry as one that is not a mapping', () => {
    expect(problemOf('-\n')).toBe(
      `Input 'ignore-file': .ecr-ignore.yml entry 1 is not a mapping with id and reason. ${FORMAT}`,
    )
  })

  it('lists every unknown key of an entry', () => {
    expect(problemOf('- id: CVE-2024-1\n  reason: ok\n  until: 2025-01-01\n  pkg: x\n')).toBe(
      `Input 'ignore-file': .ecr-ignore.yml entry 1 has unknown key 'until', 'pkg'. ${FORMAT}`,
    )
  })

  it('says a key without a value is missing', () => {
    expect(problemOf('- id:\n  reason: not used\n')).toBe(
      `Input 'ignore-file': .ecr-ignore.yml entry 1 lacks 'id'. ${FORMAT}`,
    )
  })

  it('refuses a reason that is only spaces', () => {
    expect(problemOf("- id: CVE-2024-1\n  reason: '   '\n")).toBe(
      `Input 'ignore-file': .ecr-ignore.yml entry 1: 'reason' must be non-empty text. ${FORMAT}`,
    )
  })

  it('refuses a month as an expiry date: a rule expires on a day', () => {
    expect(problemOf('- id: CVE-2024-1\n  reason: ok\n  expires: 2025-06\n')).toBe(
      `Input 'ignore-file': .ecr-ignore.yml entry 1 (CVE-2024-1): expires '2025-06' is not a date YYYY-MM-DD. ${FORMAT}`,
    )
  })

  it('trims the values it keeps', () => {
    const [rule] = parseIgnoreFile(
      "- id: ' CVE-2024-1 '\n  reason: ' base image fix pending '\n  package: ' openssl '\n",
      '.ecr-ignore.yml',
    )
    expect(rule).toMatchObject({
      id: 'CVE-2024-1',
      reason: 'base image fix pending',
      package: 'openssl',
    })
  })
})

describe('splitExpired', () => {
  it('keeps rules through their expiry day and moves the others to expired', () => {
    const current = { id: 'CVE-1', expires: '2025-06-30', source: "input 'ignore'" }
    const forever = { id: 'CVE-2', source: "input 'ignore'" }
    const past = { id: 'CVE-3', expires: '2025-06-29', source: "input 'ignore'" }
    expect(splitExpired([current, forever, past], new Date('2025-06-30T23:00:00Z'))).toEqual({
      active: [current, forever],
      expired: [past],
    })
  })
})

describe('expiredWarning', () => {
  it('names the rule, its package, where it is written and when it expired', () => {
    expect(
      expiredWarning({
        id: 'CVE-2024-1',
        package: 'openssl',
        expires: '2025-01-31',
        source: '.ecr-ignore.yml entry 2',
      }),
    ).toBe(
      'The ignore entry for CVE-2024-1 in openssl (.ecr-ignore.yml entry 2) expired on 2025-01-31 and no longer ignores it. Fix the finding, or renew or remove the entry.',
    )
    expect(
      expiredWarning({ id: 'CVE-2024-2', expires: '2025-01-31', source: "input 'ignore'" }),
    ).toBe(
      "The ignore entry for CVE-2024-2 (input 'ignore') expired on 2025-01-31 and no longer ignores it. Fix the finding, or renew or remove the entry.",
    )
  })
})
