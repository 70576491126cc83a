// The verdict output, and every output that could read as "safe" when nothing was checked: what
// each says when its input is off, when the scan failed, and when findings were not read in full.
import { describe, expect, it } from '@jest/globals'
import { comparedResult, completedResult, finding, settingsWith } from '../__fixtures__/results.js'
import type { ImageReport, ScanResult } from '../src/model.js'
import { Outputs } from '../src/names.js'
import {
  findingsReadInFull,
  gatesConfigured,
  judge,
  outcomeOf,
  stepOutcome,
} from '../src/policy.js'
import type { Settings } from '../src/settings.js'
import { outputsOf, stepOutputs } from '../src/report/outputs.js'

const high = finding('CVE-H', 'HIGH', { packageName: 'zlib' })
const low = finding('CVE-L', 'LOW', { packageName: 'zlib' })
const exploited = finding('CVE-X', 'LOW', { packageName: 'bash', exploitAvailable: 'YES' })

const NO_GATE = settingsWith()
const SEVERITY = settingsWith({ failOnSeverity: 'HIGH' })
const EXPLOIT = settingsWith({ failOnExploitable: true })

/** A basic scan that ended FAILED, as ECR answers for scratch images: no findings. */
const failedScan = completedResult([], {
  scanStatus: 'FAILED',
  scanStatusDescription:
    'UnsupportedImageError: The operating system and/or package manager are not supported.',
  findings: undefined,
})
/** A scan still running at wait-timeout: no findings. */
const timedOut = completedResult([], {
  scanStatus: 'IN_PROGRESS',
  timedOut: true,
  findings: undefined,
})
/** Inspector's findings still changing at wait-timeout: the last read, not a settled one. */
const unsettled = completedResult([low], {
  scanType: 'ENHANCED',
  scanStatus: 'ACTIVE',
  timedOut: true,
  findingsUnsettled: true,
})
/** Counts say 3 findings, one page of 1 was read. */
const pagesUnread = (() => {
  const result = completedResult([low], { scanType: 'ENHANCED', scanStatus: 'ACTIVE' })
  if (result.findings) {
    result.findings.rawSeverityCounts = { LOW: 3 }
    result.findings.severityCounts.LOW = 3
    result.findings.unread = 2
  }
  return result
})()

const report = (result: ScanResult, settings: Settings): ImageReport => ({
  result,
  verdict: judge(result, settings),
})

describe('gatesConfigured', () => {
  it('is true for fail-on-severity or fail-on-exploitable, each alone', () => {
    expect(gatesConfigured(NO_GATE)).toBe(false)
    expect(gatesConfigured(SEVERITY)).toBe(true)
    expect(gatesConfigured(EXPLOIT)).toBe(true)
    // The other inputs narrow or react; none is a gate of its own.
    expect(
      gatesConfigured(
        settingsWith({
          onlyFixable: true,
          onlyNew: true,
          onScanFailure: 'fail',
          onLimitExceeded: 'fail',
        }),
      ),
    ).toBe(false)
  })
})

describe('findingsReadInFull', () => {
  it.each([
    ['a complete basic scan', completedResult([high]), true],
    [
      'an enhanced scan that settled',
      completedResult([high], { scanType: 'ENHANCED', scanStatus: 'ACTIVE' }),
      true,
    ],
    ['a scan that ended FAILED', failedScan, false],
    ['a wait that ran out', timedOut, false],
    ["Inspector's findings still changing", unsettled, false],
    ['pages of findings left unread', pagesUnread, false],
    [
      'findings read of a failed-class status',
      completedResult([high], { scanStatus: 'FINDINGS_UNAVAILABLE' }),
      false,
    ],
  ])('%s: %s', (_what, result, full) => {
    expect(findingsReadInFull(result)).toBe(full)
  })
})

describe('the verdict of one image', () => {
  it('is unset without a gate when nothing failed, however little was read', () => {
    const warned = settingsWith({ onScanFailure: 'warn' })
    for (const result of [completedResult([high]), failedScan, timedOut, unsettled, pagesUnread]) {
      expect(judge(result, warned).outcome).toBeUndefined()
    }
  })

  it('is failed when the image failed, with or without a gate', () => {
    expect(judge(failedScan, NO_GATE).outcome).toBe('failed')
    expect(judge(completedResult([high]), SEVERITY).outcome).toBe('failed')
    expect(judge(completedResult([exploited]), EXPLOIT).outcome).toBe('failed')
    expect(judge(completedResult([]), NO_GATE, new Error('boom')).outcome).toBe('failed')
    const quota = completedResult([], { limitExceeded: true, scanStarted: false })
    expect(judge(quota, settingsWith({ onLimitExceeded: 'fail' })).outcome).toBe('failed')
  })

  it('is passed under each gate alone, when the findings were read in full and judged', () => {
    expect(judge(completedResult([low]), SEVERITY).outcome).toBe('passed')
    expect(judge(completedResult([low, high]), EXPLOIT).outcome).toBe('passed')
    // The quota was used up and warned about: the existing scan was read and judged.
    const quota = completedResult([low], { limitExceeded: true, scanStarted: false })
    expect(judge(quota, SEVERITY)).toMatchObject({
      outcome: 'passed',
      warnings: [expect.any(String)],
    })
  })

  it('is incomplete under a gate when the step went on without reading the findings in full', () => {
    for (const onScanFailure of ['warn', 'ignore'] as const) {
      const settings = settingsWith({ failOnSeverity: 'HIGH', onScanFailure })
      for (const result of [failedScan, timedOut, unsettled]) {
        expect(judge(result, settings)).toMatchObject({ outcome: 'incomplete' })
        expect(judge(result, settings).failure).toBeUndefined()
      }
    }
    // Unread pages are warned about where they are read; the verdict does not fail on them.
    expect(judge(pagesUnread, SEVERITY).outcome).toBe('incomplete')
    expect(judge(pagesUnread, EXPLOIT).outcome).toBe('incomplete')
  })

  it('outcomeOf reads only the failure, the gates and the findings', () => {
    expect(outcomeOf(completedResult([]), { failure: 'x' }, NO_GATE)).toBe('failed')
    expect(outcomeOf(completedResult([]), {}, NO_GATE)).toBeUndefined()
    expect(outcomeOf(completedResult([]), {}, EXPLOIT)).toBe('passed')
    expect(outcomeOf(timedOut, {}, EXPLOIT)).toBe('incomplete')
  })
})

describe('the verdict of the step', () => {
  const outcomes = (...each: (ImageReport['verdict']['outcome'] | undefined)[]) =>
    stepOutcome(
      each.map((outcome) => ({
        result: completedResult(),
        verdict: { warnings: [], notes: [], ...(outcome ? { outcome } : {}) },
      })),
    )

  it('is failed when any image failed, else incomplete when any is, else passed when all passed', () => {
    expect(outcomes('passed', 'failed', 'incomplete')).toBe('failed')
    expect(outcomes('incomplete', 'passed')).toBe('incomplete')
    expect(outcomes('passed', 'passed')).toBe('passed')
    expect(outcomes(undefined, undefined)).toBeUndefined()
    expect(outcomes()).toBeUndefined()
  })

  it('is one output, and each entry of results carries its own, in the full and the compact form', () => {
    const settings = settingsWith({ failOnSeverity: 'HIGH', onScanFailure: 'warn' })
    const reports = [report(completedResult([low]), settings), report(failedScan, settings)]
    const values = stepOutputs(reports)
    expect(values[Outputs.verdict]).toBe('incomplete')
    const full = JSON.parse(values[Outputs.results] ?? '') as Record<string, string>[]
    expect(full.map((entry) => entry.verdict)).toEqual(['passed', 'incomplete'])
    const compact = stepOutputs(reports, 1300)
    expect(compact[Outputs.resultsForm]).toBe('compact')
    const entries = JSON.parse(compact[Outputs.results] ?? '') as Record<string, string>[]
    expect(entries.map((entry) => entry.verdict)).toEqual(['passed', 'incomplete'])
  })
})

describe('threshold-exceeded', () => {
  it('is unset without fail-on-severity, for the image and in its results entry', () => {
    const values = stepOutputs([report(completedResult([high]), NO_GATE)])
    expect(values).not.toHaveProperty(Outputs.thresholdExceeded)
    expect(JSON.parse(values[Outputs.results] ?? '')[0]).not.toHaveProperty('threshold-exceeded')
    const several = stepOutputs([
      report(completedResult([high]), NO_GATE),
      report(completedResult([]), NO_GATE),
    ])
    expect(several).not.toHaveProperty(Outputs.thresholdExceeded)
    for (const entry of JSON.parse(several[Outputs.results] ?? '') as object[]) {
      expect(entry).not.toHaveProperty('threshold-exceeded')
    }
  })

  it('says false only of findings read in full; a finding found is true however it was read', () => {
    const warned = settingsWith({ failOnSeverity: 'HIGH', onScanFailure: 'warn' })
    expect(judge(completedResult([low]), warned).thresholdExceeded).toBe(false)
    expect(judge(unsettled, warned).thresholdExceeded).toBeUndefined()
    expect(judge(pagesUnread, warned).thresholdExceeded).toBeUndefined()
    expect(judge(failedScan, warned).thresholdExceeded).toBeUndefined()
    const unsettledHigh = { ...unsettled, findings: completedResult([high]).findings }
    expect(judge(unsettledHigh, warned).thresholdExceeded).toBe(true)
  })

  it('is narrowed by only-fixable and only-new, as the verdict is', () => {
    const fixable = finding('CVE-F', 'HIGH', { packageName: 'curl', fixAvailable: 'YES' })
    const result = comparedResult([high, fixable], [high, fixable])
    expect(judge(result, SEVERITY).thresholdExceeded).toBe(true)
    expect(
      judge(result, settingsWith({ failOnSeverity: 'HIGH', onlyNew: true })).thresholdExceeded,
    ).toBe(false)
    const onlyFixable = settingsWith({ failOnSeverity: 'HIGH', onlyFixable: true })
    expect(judge(completedResult([high]), onlyFixable).thresholdExceeded).toBe(false)
  })

  it('over several images: true when any is, false only when every image was judged false', () => {
    const warned = settingsWith({ failOnSeverity: 'HIGH', onScanFailure: 'warn' })
    const of = (...results: ScanResult[]) =>
      stepOutputs(results.map((result) => report(result, warned)))[Outputs.thresholdExceeded]
    expect(of(completedResult([low]), completedResult([]))).toBe('false')
    expect(of(completedResult([low]), failedScan)).toBeUndefined()
    expect(of(completedResult([high]), failedScan)).toBe('true')
  })
})

describe('exploitable', () => {
  const enhanced = (list = [exploited, low], overrides: Partial<ScanResult> = {}) =>
    completedResult(list, { scanType: 'ENHANCED', scanStatus: 'ACTIVE', ...overrides })

  it('is unset for a basic scan, which carries no exploit data, and counted for an enhanced one', () => {
    expect(
      outputsOf(completedResult([low]), judge(completedResult([low]), NO_GATE)),
    ).not.toHaveProperty(Outputs.exploitable)
    expect(outputsOf(enhanced(), judge(enhanced(), NO_GATE))[Outputs.exploitable]).toBe('1')
    // Zero, said only where it was checked.
    expect(outputsOf(enhanced([low]), judge(enhanced([low]), NO_GATE))[Outputs.exploitable]).toBe(
      '0',
    )
  })

  it('is unset for an enhanced scan whose findings were not read in full', () => {
    for (const result of [
      unsettled,
      pagesUnread,
      enhanced([], { findings: undefined, scanStatus: 'FINDINGS_UNAVAILABLE' }),
    ]) {
      expect(outputsOf(result, judge(result, NO_GATE))).not.toHaveProperty(Outputs.exploitable)
    }
  })

  it('over several images sums the enhanced ones only, unset when there is none or one is unread', () => {
    const of = (...results: ScanResult[]) =>
      stepOutputs(results.map((result) => report(result, NO_GATE)))[Outputs.exploitable]
    expect(of(enhanced(), completedResult([low]), enhanced([exploited]))).toBe('2')
    expect(of(completedResult([low]), completedResult([high]))).toBeUndefined()
    expect(of(enhanced(), unsettled)).toBeUndefined()
  })
})

describe('limit-exceeded', () => {
  it('is true on the quota answer, false when the scan was accepted, unset when StartImageScan was not answered', () => {
    const of = (limitExceeded: boolean | undefined) => {
      const result = completedResult([], { limitExceeded })
      return outputsOf(result, judge(result, NO_GATE))[Outputs.limitExceeded]
    }
    expect(of(true)).toBe('true')
    expect(of(false)).toBe('false')
    expect(of(undefined)).toBeUndefined()
  })

  it('over several images: true when any is, false only when every image was answered false', () => {
    const of = (...each: (boolean | undefined)[]) =>
      stepOutputs(
        each.map((limitExceeded) => report(completedResult([], { limitExceeded }), NO_GATE)),
      )[Outputs.limitExceeded]
    expect(of(true, undefined)).toBe('true')
    expect(of(false, false)).toBe('false')
    expect(of(false, undefined)).toBeUndefined()
  })
})

describe('new-findings and fixed-findings', () => {
  it('are unset when pages of the findings were not read: the list may hold more new ones', () => {
    const result = comparedResult([low], [], { scanType: 'ENHANCED', scanStatus: 'ACTIVE' })
    expect(outputsOf(result, judge(result, NO_GATE))).toMatchObject({
      [Outputs.newFindings]: '1',
      [Outputs.fixedFindings]: '0',
    })
    const unread = { ...pagesUnread, baseline: result.baseline }
    const values = outputsOf(unread, judge(unread, NO_GATE))
    expect(values).not.toHaveProperty(Outputs.newFindings)
    expect(values).not.toHaveProperty(Outputs.fixedFindings)
  })
})

describe('the counts', () => {
  it('of one image are set when its findings were read, and unset when its scan failed', () => {
    expect(outputsOf(failedScan, judge(failedScan, NO_GATE))).not.toHaveProperty(Outputs.critical)
    // Not narrowed by only-new or only-fixable: they count every finding after ignore rules.
    const settings = settingsWith({ failOnSeverity: 'HIGH', onlyFixable: true })
    expect(
      outputsOf(completedResult([high]), judge(completedResult([high]), settings)),
    ).toMatchObject({
      [Outputs.high]: '1',
      [Outputs.findingsTotal]: '1',
      [Outputs.thresholdExceeded]: 'false',
    })
  })

  it('of several images are unset when one image was not read: zero of the rest is not zero of all', () => {
    const values = stepOutputs([report(completedResult([]), NO_GATE), report(timedOut, NO_GATE)])
    for (const name of [
      Outputs.findingsTotal,
      Outputs.critical,
      Outputs.severityCounts,
      Outputs.ignored,
    ]) {
      expect(values).not.toHaveProperty(name)
    }
  })
})
