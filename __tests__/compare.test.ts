// compare-to: the same finding is the same vulnerability in the same package, whatever the case;
// the verdict with only-new, only-fixable and fail-on-exploitable, alone and together; and what
// happens when the baseline cannot be compared.
import { describe, expect, it } from '@jest/globals'
import { completedResult, finding, settingsWith } from '../__fixtures__/results.js'
import { compareFindings, comparisonOf } from '../src/compare.js'
import type { Baseline, Finding } from '../src/model.js'
import { judge } from '../src/policy.js'
import { outputsOf } from '../src/report/outputs.js'
import { applyIgnoreRules } from '../src/ignore.js'

const ids = (findings: Finding[]) => findings.map((f) => `${f.id}/${f.packageName ?? ''}`)

describe('compareFindings', () => {
  it('matches vulnerability IDs and package names case-insensitively', () => {
    const comparison = compareFindings(
      [finding('cve-2024-1', 'HIGH', { packageName: 'OpenSSL' })],
      [finding('CVE-2024-1', 'HIGH', { packageName: 'openssl' })],
    )
    expect(comparison).toEqual({
      added: [],
      fixed: [],
      unchanged: [expect.objectContaining({ id: 'cve-2024-1' })],
    })
  })

  it('ignores spaces around package names', () => {
    const { added, fixed } = compareFindings(
      [finding('CVE-3', 'LOW', { packageName: ' zlib ,  curl' })],
      [finding('CVE-3', 'LOW', { packageName: 'curl, zlib' })],
    )
    expect({ added, fixed }).toEqual({ added: [], fixed: [] })
  })

  it('counts a known CVE that reaches another package as new, and the old package as fixed', () => {
    const { added, fixed } = compareFindings(
      [finding('CVE-1', 'HIGH', { packageName: 'curl' })],
      [finding('CVE-1', 'HIGH', { packageName: 'libcurl' })],
    )
    expect(ids(added)).toEqual(['CVE-1/curl'])
    expect(ids(fixed)).toEqual(['CVE-1/libcurl'])
  })

  it('treats one finding in several packages as new when any of its packages is new', () => {
    const both = finding('CVE-2', 'MEDIUM', { packageName: 'openssl, libssl3' })
    expect(
      ids(compareFindings([both], [finding('CVE-2', 'MEDIUM', { packageName: 'openssl' })]).added),
    ).toEqual(['CVE-2/openssl, libssl3'])
    expect(
      compareFindings([both], [finding('CVE-2', 'MEDIUM', { packageName: 'LIBSSL3, OpenSSL' })])
        .added,
    ).toEqual([])
  })

  it('matches a finding in one package with the baseline finding that lists it among several', () => {
    const baselineBoth = finding('CVE-4', 'HIGH', { packageName: 'openssl, libssl3' })
    const { added, unchanged, fixed } = compareFindings(
      [finding('CVE-4', 'HIGH', { packageName: 'libssl3' })],
      [baselineBoth],
    )
    expect([ids(added), ids(unchanged)]).toEqual([[], ['CVE-4/libssl3']])
    // openssl no longer has it: the baseline finding counts as fixed there.
    expect(fixed).toEqual([baselineBoth])
  })

  it('does not call an ignored finding fixed', () => {
    const old = finding('CVE-3', 'LOW', { packageName: 'zlib' })
    expect(compareFindings([], [old], [old]).fixed).toEqual([])
    expect(ids(compareFindings([], [old]).fixed)).toEqual(['CVE-3/zlib'])
  })

  it('calls nothing fixed while pages of the image’s findings are unread', () => {
    const old = finding('CVE-9', 'HIGH', { packageName: 'zlib' })
    const baseline: Baseline = {
      label: 'team/api:production',
      outcome: 'compared',
      findings: [old],
    }
    const complete = completedResult([], { baseline })
    expect(comparisonOf(complete)?.fixed).toEqual([old])
    const partial = completedResult([], { baseline })
    if (partial.findings) partial.findings.unread = 10
    expect(comparisonOf(partial)?.fixed).toEqual([])
  })

  it('makes no comparison without a compared baseline', () => {
    expect(comparisonOf(completedResult([finding('CVE-1', 'HIGH')]))).toBeUndefined()
    const missing: Baseline = {
      label: 'team/api:production',
      outcome: 'missing',
      reason: 'not there',
    }
    expect(comparisonOf(completedResult([], { baseline: missing }))).toBeUndefined()
  })
})

describe('the verdict with a baseline', () => {
  const baseline = (findings: Finding[]): Baseline => ({
    label: 'team/api:production',
    imageDigest: `sha256:${'b'.repeat(64)}`,
    outcome: 'compared',
    findings,
  })
  const oldHigh = finding('CVE-OLD', 'HIGH', { packageName: 'zlib' })
  const newCritical = finding('CVE-NEW', 'CRITICAL', { packageName: 'openssl', fixAvailable: 'NO' })
  const newFixableHigh = finding('CVE-FIX', 'HIGH', { packageName: 'curl', fixAvailable: 'YES' })
  const exploitableLow = finding('CVE-EXP', 'LOW', { packageName: 'bash', exploitAvailable: 'YES' })

  it('only-new fails on what the push adds, not on what production already has', () => {
    const keeps = completedResult([oldHigh], { baseline: baseline([oldHigh]) })
    const adds = completedResult([oldHigh, newCritical], { baseline: baseline([oldHigh]) })
    const settings = settingsWith({
      failOnSeverity: 'HIGH',
      onlyNew: true,
      compareTo: { kind: 'same-repository', imageTag: 'production' },
    })
    expect(judge(keeps, settings).failure).toBeUndefined()
    expect(judge(adds, settings).failure).toContain(
      '1 new finding at or above HIGH in team/api:v1 (1 CRITICAL)',
    )
    // Without only-new the old HIGH counts too.
    expect(judge(keeps, { ...settings, onlyNew: false }).failure).toContain(
      '1 finding at or above HIGH',
    )
  })

  it('only-new and only-fixable together consider new fixable findings only', () => {
    const result = completedResult([oldHigh, newCritical, newFixableHigh], {
      baseline: baseline([oldHigh]),
    })
    const verdict = judge(
      result,
      settingsWith({ failOnSeverity: 'HIGH', onlyNew: true, onlyFixable: true }),
    )
    expect(verdict.failure).toContain(
      '1 new fixable finding at or above HIGH in team/api:v1 (1 HIGH)',
    )
  })

  it('fail-on-exploitable fails on a LOW with a known exploit, listing it', () => {
    const result = completedResult([exploitableLow, oldHigh])
    const verdict = judge(result, settingsWith({ failOnExploitable: true }))
    expect(verdict.failure).toBe(
      '1 finding in team/api:v1 has a known exploit: CVE-EXP (bash, LOW). Fix them first, or set fail-on-exploitable: false; the job summary marks them.',
    )
    expect(judge(result, settingsWith()).failure).toBeUndefined()
  })

  it('fail-on-exploitable with only-new ignores an exploitable finding production already has', () => {
    const result = completedResult([exploitableLow], { baseline: baseline([exploitableLow]) })
    const settings = settingsWith({ failOnExploitable: true, onlyNew: true })
    expect(judge(result, settings).failure).toBeUndefined()
    expect(judge(result, { ...settings, onlyNew: false }).failure).toContain('known exploit')
  })

  it('a baseline that could not be compared warns, and only-new then considers every finding', () => {
    const missing: Baseline = {
      label: 'team/api:production',
      outcome: 'not-scanned',
      reason: 'ECR has no scan of it',
    }
    const result = completedResult([oldHigh], { baseline: missing })
    const settings = settingsWith({
      failOnSeverity: 'HIGH',
      onlyNew: true,
      compareTo: { kind: 'same-repository', imageTag: 'production' },
    })
    const verdict = judge(result, settings)
    // Never passes more than without a baseline.
    expect(verdict.failure).toContain('1 finding at or above HIGH')
    expect(verdict.warnings).toEqual([
      'The baseline team/api:production was not compared: ECR has no scan of it. new-findings and fixed-findings stay empty; only-new considers every finding instead.',
    ])
  })

  it('only-new with a baseline that could not be compared still fails on an exploitable finding', () => {
    const unreadable: Baseline = {
      label: 'team/api:production',
      outcome: 'unreadable',
      reason: 'AWS refused',
    }
    const result = completedResult([exploitableLow], { baseline: unreadable })
    const settings = settingsWith({
      failOnExploitable: true,
      onlyNew: true,
      compareTo: { kind: 'same-repository', imageTag: 'production' },
    })
    // Never passes more than without a baseline: the same line as without only-new.
    expect(judge(result, settings).failure).toBe(
      judge(result, { ...settings, onlyNew: false }).failure,
    )
    expect(judge(result, settings).failure).toContain('has a known exploit: CVE-EXP (bash, LOW)')
  })

  it('only-new, only-fixable and fail-on-exploitable together fail on new fixable exploitable findings only', () => {
    const oldExploitable = finding('CVE-OLD-EXP', 'HIGH', {
      packageName: 'glibc',
      fixAvailable: 'YES',
      exploitAvailable: 'YES',
    })
    const newUnfixable = finding('CVE-NEW-EXP', 'CRITICAL', {
      packageName: 'openssl',
      fixAvailable: 'NO',
      exploitAvailable: 'YES',
    })
    const newFixable = finding('CVE-FIX-EXP', 'MEDIUM', {
      packageName: 'curl',
      fixAvailable: 'YES',
      exploitAvailable: 'YES',
    })
    const settings = settingsWith({ failOnExploitable: true, onlyNew: true, onlyFixable: true })
    const passes = completedResult([oldExploitable, newUnfixable, newFixableHigh], {
      baseline: baseline([oldExploitable]),
    })
    expect(judge(passes, settings).failure).toBeUndefined()
    const fails = completedResult([oldExploitable, newUnfixable, newFixable], {
      baseline: baseline([oldExploitable]),
    })
    expect(judge(fails, settings).failure).toBe(
      '1 new fixable finding in team/api:v1 has a known exploit: CVE-FIX-EXP (curl, MEDIUM). Fix them first, or set fail-on-exploitable: false; the job summary marks them.',
    )
  })

  it('outputs new-findings, fixed-findings, baseline-digest and exploitable, after ignore rules', () => {
    const result = applyIgnoreRules(
      completedResult([newCritical, newFixableHigh, exploitableLow], {
        scanType: 'ENHANCED',
        baseline: baseline([oldHigh, newFixableHigh]),
      }),
      [{ id: 'CVE-NEW', source: "input 'ignore'" }],
    )
    expect(outputsOf(result, judge(result, settingsWith()))).toMatchObject({
      'new-findings': '1',
      'fixed-findings': '1',
      'baseline-digest': `sha256:${'b'.repeat(64)}`,
      exploitable: '1',
    })
    const none = completedResult([newCritical])
    const outputs = outputsOf(none, judge(none, settingsWith()))
    expect(outputs['new-findings']).toBeUndefined()
    expect(outputs['fixed-findings']).toBeUndefined()
  })
})
