import { describe, expect, it } from '@jest/globals'
import {
  completedResult,
  finding,
  reportOf,
  settingsWith,
  verdictOf,
} from '../__fixtures__/results.js'
import { InputError } from '../src/kernel/errors.js'
import { parseIgnoreFile, parseIgnoreInput } from '../src/inputs/ignore-rules.js'
import {
  applyIgnoreRules,
  expiredWarning,
  ignoredCount,
  isExpired,
  splitExpired,
  unmatchedRules,
} from '../src/facts/ignore.js'
import type { IgnoreRule } from '../src/kernel/model.js'
import { outputsOf } from '../src/report/outputs.js'

function errorOf(action: () => unknown): InputError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('parseIgnoreInput', () => {
  it('reads IDs separated by newlines and commas', () => {
    expect(
      parseIgnoreInput('CVE-2024-1, GHSA-abcd-efgh-ijkl\n\n ALAS2023-2024-123 ,').map((r) => r.id),
    ).toEqual(['CVE-2024-1', 'GHSA-abcd-efgh-ijkl', 'ALAS2023-2024-123'])
    expect(parseIgnoreInput('')).toEqual([])
  })

  it('refuses what is not an ID, naming the input', () => {
    const error = errorOf(() => parseIgnoreInput('CVE-2024-1 CVE-2024-2'))
    expect(error.input).toBe('ignore')
    expect(error.message).toContain("'CVE-2024-1 CVE-2024-2'")
  })
})

describe('parseIgnoreFile', () => {
  it('reads entries with reason, expiry and package', () => {
    const rules = parseIgnoreFile(
      [
        '- id: CVE-2024-1',
        '  reason: not reachable',
        '- id: CVE-2024-2',
        '  reason: waiting for upstream',
        '  expires: 2026-12-31',
        '  package: openssl',
      ].join('\n'),
      '.ecr-ignore.yml',
    )
    expect(rules).toEqual([
      {
        id: 'CVE-2024-1',
        reason: 'not reachable',
        expires: undefined,
        package: undefined,
        source: '.ecr-ignore.yml entry 1',
      },
      {
        id: 'CVE-2024-2',
        reason: 'waiting for upstream',
        expires: '2026-12-31',
        package: 'openssl',
        source: '.ecr-ignore.yml entry 2',
      },
    ])
  })

  it('takes an empty file as no entries', () => {
    expect(parseIgnoreFile('# nothing ignored yet\n', 'x.yml')).toEqual([])
    expect(parseIgnoreFile('', 'x.yml')).toEqual([])
  })

  it.each([
    ['id: CVE-1\nreason: x', 'must be a YAML list of entries'],
    ['- CVE-2024-1', 'entry 1 is not a mapping'],
    ['- id: CVE-2024-1', "entry 1 lacks 'reason'"],
    ['- reason: r', "entry 1 lacks 'id'"],
    ['- id: CVE-2024-1\n  reason: r\n- id: CVE 2\n  reason: r', "entry 2: id 'CVE 2'"],
    ['- id: CVE-2024-1\n  reason: r\n  expires: 2026-02-30', "expires '2026-02-30' is not a date"],
    ['- id: CVE-2024-1\n  reason: r\n  expires: tomorrow', "expires 'tomorrow'"],
    ['- id: CVE-2024-1\n  reason: r\n  expiry: 2026-01-01', "unknown key 'expiry'"],
    ['- id: CVE-2024-1\n  reason: 42', "'reason' must be non-empty text"],
    ['- id: [unclosed', 'is not valid YAML'],
    // The parser's first line, with the line and column to fix.
    [
      '- id: CVE-2024-1\n  id: CVE-2024-2\n  reason: r',
      'not valid YAML: duplicated mapping key (2:3)',
    ],
    ['- id: CVE-2024-1\n  reason: r\n---\n- id: CVE-2024-2', 'is not valid YAML'],
    ['- id: !custom CVE-2024-1\n  reason: r', 'is not valid YAML: unknown tag'],
  ])('reports %j as an input error naming the file and entry', (text, problem) => {
    const error = errorOf(() => parseIgnoreFile(text, 'sec/ignore.yml'))
    expect(error.input).toBe('ignore-file')
    expect(error.message).toContain("Input 'ignore-file': sec/ignore.yml")
    expect(error.message).toContain(problem)
  })
})

describe('expiry', () => {
  const rule: IgnoreRule = { id: 'CVE-1', reason: 'r', expires: '2026-11-27', source: 'f entry 1' }

  it('ignores through the expires day (UTC) and stops the day after', () => {
    expect(isExpired(rule, new Date('2026-11-27T23:59:59Z'))).toBe(false)
    expect(isExpired(rule, new Date('2026-11-28T00:00:00Z'))).toBe(true)
    expect(isExpired({ id: 'CVE-1', source: 's' }, new Date('2999-01-01'))).toBe(false)
  })

  it('splits expired rules off with a warning naming them, so they ignore nothing', () => {
    const { active, expired } = splitExpired([rule], new Date('2027-01-01T00:00:00Z'))
    expect(active).toEqual([])
    expect(expired).toEqual([rule])
    expect(expiredWarning(rule)).toBe(
      'The ignore entry for CVE-1 (f entry 1) expired on 2026-11-27 and no longer ignores it. Fix the finding, or renew or remove the entry.',
    )
    const result = applyIgnoreRules(completedResult([finding('CVE-1', 'HIGH')]), active)
    expect(verdictOf(result, settingsWith({ failOnSeverity: 'HIGH' })).thresholdExceeded).toBe(true)
  })
})

describe('applyIgnoreRules', () => {
  it('keeps what an earlier pass ignored and lowers the counts only by what this pass ignores', () => {
    const result = completedResult([
      finding('CVE-1', 'HIGH'),
      finding('CVE-2', 'HIGH'),
      finding('CVE-3', 'LOW'),
    ])
    const first = applyIgnoreRules(result, [{ id: 'CVE-1', source: 'a' }])
    const second = applyIgnoreRules(first, [{ id: 'CVE-3', source: 'b' }])
    expect(second.findings?.ignored?.map(({ finding, rule }) => [finding.id, rule.source])).toEqual(
      [
        ['CVE-1', 'a'],
        ['CVE-3', 'b'],
      ],
    )
    expect(second.findings?.list.map(({ id }) => id)).toEqual(['CVE-2'])
    expect(second.findings?.severityCounts).toMatchObject({ HIGH: 1, LOW: 0 })
  })

  const list = [
    finding('CVE-1', 'CRITICAL', { packageName: 'openssl' }),
    finding('CVE-1', 'CRITICAL', { packageName: 'libssl3' }),
    finding('cve-2', 'HIGH', { packageName: 'zlib, zlib-dev' }),
    finding('CVE-3', 'LOW'),
  ]

  it('moves matched findings out of the list and lowers the counts, keeping ECR raw counts', () => {
    const rules: IgnoreRule[] = [
      { id: 'CVE-2', reason: 'test only', source: "input 'ignore'" },
      { id: 'CVE-1', package: 'OpenSSL', reason: 'not used', source: 'f entry 1' },
    ]
    const result = applyIgnoreRules(completedResult(list), rules)
    expect(result.findings?.list.map((f) => `${f.id} ${f.packageName ?? ''}`)).toEqual([
      'CVE-1 libssl3', // package-scoped: only openssl's finding is ignored
      'CVE-3 ',
    ])
    expect(result.findings?.ignored?.map(({ finding, rule }) => [finding.id, rule.reason])).toEqual(
      [
        ['CVE-1', 'not used'],
        ['cve-2', 'test only'], // IDs match case-insensitively
      ],
    )
    expect(result.findings?.severityCounts).toMatchObject({ CRITICAL: 1, HIGH: 0, LOW: 1 })
    expect(result.findings?.rawSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 1, LOW: 1 })
    const outputs = outputsOf(reportOf(result, settingsWith({ failOnSeverity: 'HIGH' })))
    expect(outputs).toMatchObject({
      critical: '1',
      high: '0',
      'findings-total': '2',
      ignored: '2',
      'severity-counts': '{"CRITICAL":2,"HIGH":1,"LOW":1}',
      'threshold-exceeded': 'true',
    })
    expect(ignoredCount([result, result])).toBe(4)
  })

  it('credits a finding to the first of its ID’s rules that covers its package', () => {
    const rules: IgnoreRule[] = [
      { id: 'cve-1', package: 'libssl3', reason: 'scoped elsewhere', source: 'f entry 1' },
      { id: 'CVE-1', reason: 'first for openssl', source: 'f entry 2' },
      { id: 'Cve-1', package: 'openssl', reason: 'later', source: 'f entry 3' },
    ]
    const ignored = applyIgnoreRules(completedResult(list), rules).findings?.ignored
    expect(ignored?.map(({ finding, rule }) => [finding.packageName, rule.reason])).toEqual([
      ['openssl', 'first for openssl'],
      ['libssl3', 'scoped elsewhere'],
    ])
  })

  it('matches one package of an enhanced finding that lists several', () => {
    const rules: IgnoreRule[] = [{ id: 'CVE-2', package: 'zlib-dev', source: 's' }]
    expect(applyIgnoreRules(completedResult(list), rules).findings?.ignored).toHaveLength(1)
  })

  it('leaves alone a finding without a package when the entry names a package', () => {
    const rules: IgnoreRule[] = [{ id: 'CVE-9', package: 'openssl', source: 's' }]
    const bare = completedResult([finding('CVE-9', 'HIGH')])
    const result = applyIgnoreRules(bare, rules)
    expect(result.findings?.list.map((f) => f.id)).toEqual(['CVE-9'])
    expect(result.findings?.ignored ?? []).toEqual([])
  })

  it('subtracts ignored findings from ECR counts, which also count unread pages', () => {
    const base = completedResult([finding('CVE-1', 'HIGH')])
    const partial = {
      ...base,
      findings: {
        ...base.findings!,
        rawSeverityCounts: { HIGH: 5 },
        severityCounts: { ...base.findings!.severityCounts, HIGH: 5 },
        unread: 4,
      },
    }
    const result = applyIgnoreRules(partial, [{ id: 'CVE-1', source: 's' }])
    expect(result.findings?.severityCounts.HIGH).toBe(4)
    expect(result.findings?.list).toEqual([])
  })

  it('lets threshold-exceeded drop when every finding over it is ignored', () => {
    const result = applyIgnoreRules(completedResult([finding('CVE-1', 'CRITICAL')]), [
      { id: 'CVE-1', source: 's' },
    ])
    const verdict = verdictOf(result, settingsWith({ failOnSeverity: 'HIGH' }))
    expect(verdict.thresholdExceeded).toBe(false)
    expect(verdict.failure).toBeUndefined()
  })

  it('leaves results without findings alone', () => {
    const result = completedResult([], { findings: undefined })
    expect(applyIgnoreRules(result, [{ id: 'CVE-1', source: 's' }])).toBe(result)
  })
})

describe('unmatchedRules', () => {
  const used: IgnoreRule = { id: 'CVE-1', source: 'f entry 1' }
  const stale: IgnoreRule = { id: 'CVE-404', source: 'f entry 2' }

  it('names the rules that matched nothing in any image', () => {
    const first = applyIgnoreRules(completedResult([finding('CVE-1', 'LOW')]), [used, stale])
    const second = applyIgnoreRules(completedResult([]), [used, stale])
    expect(unmatchedRules([used, stale], [first, second])).toEqual([stale])
  })

  it('says nothing when no findings were read', () => {
    expect(unmatchedRules([stale], [completedResult([], { findings: undefined })])).toEqual([])
  })
})
