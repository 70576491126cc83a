// The step outputs: what one image sets and leaves unset, which status speaks for several
// images, and which outputs give way first when GitHub's budget is tight.
import { describe, expect, it } from '@jest/globals'
import {
  BASELINE_DIGEST,
  comparedResult,
  completedResult,
  DIGEST,
  finding,
  settingsWith,
} from '../__fixtures__/results.js'
import { explainAwsError } from '../src/ecr/errors.js'
import { applyIgnoreRules } from '../src/ignore.js'
import type { ImageReport, ScanResult } from '../src/model.js'
import { Outputs } from '../src/names.js'
import { judge } from '../src/policy.js'
import {
  outputsOf,
  outputsSize,
  resultsFormNote,
  stepOutputs,
  type OutputValues,
} from '../src/report/outputs.js'

const settings = settingsWith()
const report = (result: ScanResult): ImageReport => ({ result, verdict: judge(result, settings) })

describe('one image', () => {
  it('leaves an output unset rather than empty', () => {
    const result = completedResult([], { scanStatusDescription: '' })
    const values = outputsOf(result, judge(result, settings))
    expect(values).not.toHaveProperty(Outputs.scanStatusDescription)
    expect(values[Outputs.scanStatus]).toBe('COMPLETE')
  })
})

describe('one image, with compare-to and known exploits', () => {
  const exploitable = finding('CVE-E', 'LOW', { packageName: 'bash', exploitAvailable: 'YES' })
  const plain = finding('CVE-P', 'HIGH', { packageName: 'zlib', exploitAvailable: 'NO' })

  it('counts exploitable findings after ignore rules', () => {
    const result = completedResult([exploitable, plain, { ...exploitable, id: 'CVE-E2' }], {
      scanType: 'ENHANCED',
    })
    expect(outputsOf(result, judge(result, settings))[Outputs.exploitable]).toBe('2')
    const ignored = applyIgnoreRules(result, [{ id: 'CVE-E2', source: "input 'ignore'" }])
    expect(outputsOf(ignored, judge(ignored, settings))[Outputs.exploitable]).toBe('1')
  })

  it('leaves new-findings and fixed-findings unset when the baseline was not compared, and names the baseline found', () => {
    const result = completedResult([exploitable, plain], {
      baseline: {
        label: 'team/api:production',
        imageDigest: BASELINE_DIGEST,
        outcome: 'not-scanned',
        reason: 'ECR has no scan of it',
      },
    })
    const values = outputsOf(result, judge(result, settings))
    expect(values).not.toHaveProperty(Outputs.newFindings)
    expect(values).not.toHaveProperty(Outputs.fixedFindings)
    expect(values[Outputs.baselineDigest]).toBe(BASELINE_DIGEST)
    // A compared baseline with nothing new or fixed says 0, not nothing.
    const same = comparedResult([plain], [plain])
    expect(outputsOf(same, judge(same, settings))).toMatchObject({
      [Outputs.newFindings]: '0',
      [Outputs.fixedFindings]: '0',
    })
  })
})

describe('several images', () => {
  const running = (description: string, overrides: Partial<ScanResult> = {}) =>
    completedResult([], {
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: description,
      findings: undefined,
      ...overrides,
    })

  it('reports the worst status: a failed scan over a complete one, whatever the order', () => {
    const failed = completedResult([], {
      scanStatus: 'FAILED',
      scanStatusDescription: 'UnsupportedImageError',
      findings: undefined,
    })
    for (const order of [
      [failed, completedResult()],
      [completedResult(), failed],
    ]) {
      const values = stepOutputs(order.map(report))
      expect(values[Outputs.scanStatus]).toBe('FAILED')
      expect(values[Outputs.scanStatusDescription]).toBe('UnsupportedImageError')
    }
  })

  it('takes a scan that ran out of wait-timeout for worse than one still running', () => {
    const values = stepOutputs([
      report(running('still running')),
      report(running('timed out', { timedOut: true })),
    ])
    expect(values[Outputs.scanStatusDescription]).toBe('timed out')
  })

  it('lists each value once, and nothing for an image that has none', () => {
    const byDigest = completedResult([], {
      target: { repositoryName: 'team/api', imageDigest: DIGEST },
    })
    const values = stepOutputs([
      report(byDigest),
      report(completedResult()),
      report(completedResult()),
    ])
    expect(values[Outputs.imageTag]).toBe('v1')
    expect(values[Outputs.repository]).toBe('team/api')
  })
})

describe('within the budget', () => {
  const many = Array.from({ length: 40 }, (_, i) =>
    report(
      completedResult([finding(`CVE-${i}`, 'HIGH')], {
        target: { repositoryName: `team/service-with-a-long-name-${i}`, imageTag: `v${i}` },
      }),
    ),
  )

  it('drops the longest list first, and only as many as it must', () => {
    const all = stepOutputs(many)
    const lists = { repository: all[Outputs.repository], tag: all[Outputs.imageTag] }
    expect(lists.repository).toBeDefined()
    expect(lists.tag).toBeDefined()
    const withoutResults = { ...all }
    delete withoutResults[Outputs.results]
    delete withoutResults[Outputs.resultsForm]
    // A budget that half of holds everything but the repository list.
    const repositoryBytes = 2 * (Outputs.repository.length + (lists.repository?.length ?? 0))
    const budget = 2 * (outputsSize(withoutResults) - repositoryBytes) + 2
    const tight = stepOutputs(many, budget)
    expect(tight).not.toHaveProperty(Outputs.repository)
    expect(tight[Outputs.imageTag]).toBe(lists.tag)
    expect(tight[Outputs.scanType]).toBe('BASIC')
    expect(tight[Outputs.registryId]).toBe('123456789012')
  })

  it('keeps every list when the outputs besides results take exactly half the budget', () => {
    const all = stepOutputs(many)
    const withoutResults = { ...all }
    delete withoutResults[Outputs.results]
    delete withoutResults[Outputs.resultsForm]
    const exact = stepOutputs(many, 2 * outputsSize(withoutResults))
    expect(exact[Outputs.repository]).toBe(all[Outputs.repository])
    expect(exact[Outputs.imageTag]).toBe(all[Outputs.imageTag])
  })
})

describe('the compact form of results', () => {
  it('names the platform of each entry and cuts a failure line to 200 characters', () => {
    const indexDigest = `sha256:${'1'.repeat(64)}`
    const amd64 = completedResult([], { platform: 'linux/amd64', indexDigest })
    const arm64 = completedResult([], {
      platform: 'linux/arm64',
      indexDigest,
      scanStatus: undefined,
      scanStatusDescription: undefined,
      findings: undefined,
    })
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::123456789012:assumed-role/gha-ecr-scan/GitHubActions is not authorized to perform: ecr:DescribeImageScanFindings on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api because no identity-based policy allows the ecr:DescribeImageScanFindings action',
      ),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
    )
    const error = explainAwsError(denied, {
      image: 'team/api:v1',
      repositoryName: 'team/api',
      region: 'us-east-1',
      registryId: '123456789012',
    })
    const reports = [report(amd64), { result: arm64, verdict: judge(arm64, settings, error) }]
    const failure = reports[1]!.verdict.failure!
    expect(failure.length).toBeGreaterThan(200)
    // A budget the full form misses by one character.
    const full = stepOutputs(reports)
    expect(full[Outputs.resultsForm]).toBe('full')
    const values = stepOutputs(reports, outputsSize(full) - 2)
    expect(values[Outputs.resultsForm]).toBe('compact')
    const entries = JSON.parse(values[Outputs.results]!) as Record<string, string>[]
    expect(entries.map((entry) => entry.platform)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(entries[0]).not.toHaveProperty('failure')
    expect(entries[1]!.failure).toBe(`${failure.slice(0, 199)}…`)
    expect(entries[1]!.failure).toHaveLength(200)
  })
})

describe('resultsFormNote', () => {
  it('says what each shorter form holds, and nothing for the full one', () => {
    expect(resultsFormNote('full')).toBe('')
    expect(resultsFormNote(undefined)).toBe('')
    expect(resultsFormNote('compact')).toContain(
      'holds fewer fields per image (results-form: compact)',
    )
    expect(resultsFormNote('failing')).toContain(
      'holds only the images that failed or exceeded the threshold, with fewer fields (results-form: failing)',
    )
    expect(resultsFormNote('failing-truncated')).toContain(
      'holds only the first images that failed or exceeded the threshold (results-form: failing-truncated)',
    )
  })
})

/** The outputs but `results` and `results-form`, which the tests of the forms look at. */
function withoutResults(values: OutputValues): OutputValues {
  const rest = { ...values }
  delete rest[Outputs.results]
  delete rest[Outputs.resultsForm]
  return rest
}

describe('several images, every output', () => {
  const WEB_DIGEST = `sha256:${'e'.repeat(64)}`
  const ignore = (...ids: string[]) => ids.map((id) => ({ id, source: "input 'ignore'" }))

  it('adds up the counts and the ignored findings, and lists each image once', () => {
    const api = applyIgnoreRules(
      completedResult([
        finding('CVE-1', 'CRITICAL'),
        finding('CVE-2', 'LOW'),
        finding('CVE-3', 'HIGH'),
      ]),
      ignore('CVE-3'),
    )
    const web = applyIgnoreRules(
      completedResult(
        [finding('CVE-4', 'MEDIUM'), finding('CVE-5', 'MEDIUM'), finding('CVE-6', 'MEDIUM')],
        {
          target: { repositoryName: 'team/web', imageTag: 'v2' },
          image: {
            registryId: '123456789012',
            repositoryName: 'team/web',
            imageDigest: WEB_DIGEST,
          },
        },
      ),
      ignore('CVE-5', 'CVE-6'),
    )
    const worker = completedResult([], {
      target: { repositoryName: 'team/worker', imageTag: 'v3' },
      image: undefined,
      scanType: undefined,
      scanStarted: false,
      scanStatus: 'COMPLETE',
      findings: undefined,
    })
    const strict = settingsWith({ failOnSeverity: 'CRITICAL' })
    const values = stepOutputs(
      [api, web, worker].map((result) => ({ result, verdict: judge(result, strict) })),
    )
    expect(withoutResults(values)).toStrictEqual({
      [Outputs.scanStarted]: 'true',
      [Outputs.limitExceeded]: 'false',
      [Outputs.scanStatus]: 'COMPLETE',
      [Outputs.scanStatusDescription]: 'The scan was completed successfully.',
      [Outputs.scanType]: 'BASIC',
      [Outputs.registryId]: '123456789012',
      [Outputs.repository]: 'team/api\nteam/web\nteam/worker',
      [Outputs.imageTag]: 'v1\nv2\nv3',
      [Outputs.imageDigest]: `${DIGEST}\n${WEB_DIGEST}`,
      // The worker's findings are unknown: counts of the others would read as the step's.
      [Outputs.thresholdExceeded]: 'true',
      [Outputs.verdict]: 'failed',
    })
    expect(values[Outputs.resultsForm]).toBe('full')
    const read = stepOutputs(
      [api, web].map((result) => ({ result, verdict: judge(result, strict) })),
    )
    expect(withoutResults(read)).toMatchObject({
      [Outputs.findingsTotal]: '3',
      [Outputs.critical]: '1',
      [Outputs.high]: '0',
      [Outputs.medium]: '1',
      [Outputs.low]: '1',
      [Outputs.informational]: '0',
      [Outputs.undefined]: '0',
      [Outputs.severityCounts]: '{"CRITICAL":1,"LOW":1,"HIGH":1,"MEDIUM":3}',
      [Outputs.ignored]: '3',
    })
    // Basic scans carry no exploit data.
    expect(read).not.toHaveProperty(Outputs.exploitable)
  })

  it('sets only what is known when no image could be read: no counts, no threshold, no empty value', () => {
    const failed = completedResult([], {
      scanStatus: 'FAILED',
      scanStatusDescription: '',
      findings: undefined,
    })
    const late = completedResult([], {
      target: { repositoryName: 'team/web', imageTag: 'v2' },
      image: { registryId: '123456789012', repositoryName: 'team/web', imageDigest: WEB_DIGEST },
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: 'still running',
      timedOut: true,
      findings: undefined,
    })
    const strict = settingsWith({ failOnSeverity: 'CRITICAL', onScanFailure: 'warn' })
    const values = stepOutputs(
      [failed, late].map((result) => ({ result, verdict: judge(result, strict) })),
    )
    expect(withoutResults(values)).toStrictEqual({
      [Outputs.scanStarted]: 'true',
      [Outputs.limitExceeded]: 'false',
      [Outputs.scanStatus]: 'FAILED',
      [Outputs.scanType]: 'BASIC',
      [Outputs.registryId]: '123456789012',
      [Outputs.repository]: 'team/api\nteam/web',
      [Outputs.imageTag]: 'v1\nv2',
      [Outputs.imageDigest]: `${DIGEST}\n${WEB_DIGEST}`,
      // Gated, and nothing failed (on-scan-failure: warn), but nothing was read either.
      [Outputs.verdict]: 'incomplete',
    })
  })

  it('takes the status and its description of the first of the images with the worst status', () => {
    const failed = (description: string) =>
      completedResult([], {
        scanStatus: 'FAILED',
        scanStatusDescription: description,
        findings: undefined,
      })
    const pending = completedResult([], {
      scanStatus: 'PENDING',
      scanStatusDescription: 'Inspector has not scanned yet',
      findings: undefined,
    })
    const running = completedResult([], {
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: 'still running',
      findings: undefined,
    })
    const statusOf = (results: ScanResult[]) => {
      const values = stepOutputs(results.map(report))
      return [values[Outputs.scanStatus], values[Outputs.scanStatusDescription]]
    }
    expect(statusOf([failed('UnsupportedImageError'), failed('scan quota')])).toEqual([
      'FAILED',
      'UnsupportedImageError',
    ])
    expect(statusOf([failed('scan quota'), failed('UnsupportedImageError')])).toEqual([
      'FAILED',
      'scan quota',
    ])
    expect(statusOf([pending, running])).toEqual(['PENDING', 'Inspector has not scanned yet'])
    expect(statusOf([running, pending])).toEqual(['IN_PROGRESS', 'still running'])
  })
})

describe('a list output at its size limit', () => {
  // 113 names of 144 characters, one a line: 16,384 characters, 32 KiB in UTF-16.
  const reportsNamed = (extra: string) =>
    Array.from({ length: 113 }, (_, i) =>
      report(
        completedResult([], {
          target: {
            repositoryName: `team/${'r'.repeat(135)}-${String(i).padStart(3, '0')}${i === 0 ? extra : ''}`,
            imageTag: 'v1',
          },
        }),
      ),
    )

  it('is set when exactly 32 KiB, and left unset when longer', () => {
    const exact = stepOutputs(reportsNamed(''))
    expect(exact[Outputs.repository]).toHaveLength(16_384)
    const longer = stepOutputs(reportsNamed('x'))
    expect(longer).not.toHaveProperty(Outputs.repository)
    expect(longer[Outputs.imageTag]).toBe('v1')
  })
})

describe('the shorter forms of results', () => {
  const strict = settingsWith({ failOnSeverity: 'HIGH' })
  const image = (name: string, overrides: Partial<ScanResult> = {}) =>
    completedResult([], {
      target: { repositoryName: `team/${name}`, imageTag: 'v1' },
      image: {
        registryId: '123456789012',
        repositoryName: `team/${name}`,
        imageDigest: DIGEST,
      },
      ...overrides,
    })
  const passing = image('passing', {
    findings: completedResult([finding('CVE-1', 'LOW')]).findings,
  })
  const over = image('over', { findings: completedResult([finding('CVE-2', 'HIGH')]).findings })
  const failed = image('failed', {
    scanStatus: 'UNSUPPORTED_IMAGE',
    scanStatusDescription: 'The operating system and/or package manager are not supported.',
    findings: undefined,
  })
  const reports = [passing, failed, over].map((result) => ({
    result,
    verdict: judge(result, strict),
  }))
  const rest = outputsSize(withoutResults(stepOutputs(reports)))
  /** The budget that leaves these outputs of results exactly the room they take. */
  const budgetFor = (results: OutputValues) => rest + outputsSize(results)
  /** The entries of the compact form, which misses the full one by a character. */
  const compactEntries = (): object[] => {
    const values = stepOutputs(reports, outputsSize(stepOutputs(reports)) - 2)
    expect(values[Outputs.resultsForm]).toBe('compact')
    return JSON.parse(values[Outputs.results]!) as object[]
  }

  it('is full when it fits exactly', () => {
    const full = stepOutputs(reports)
    expect(stepOutputs(reports, outputsSize(full))).toEqual(full)
  })

  it('holds the images that failed or exceeded the threshold in the failing form', () => {
    const [, ...failingEntries] = compactEntries()
    const failing = {
      [Outputs.results]: JSON.stringify(failingEntries),
      [Outputs.resultsForm]: 'failing',
    }
    const values = stepOutputs(reports, budgetFor(failing))
    expect(values[Outputs.repository]).toBe('team/passing\nteam/failed\nteam/over')
    expect(values[Outputs.resultsForm]).toBe('failing')
    expect(JSON.parse(values[Outputs.results]!)).toEqual([
      {
        image: 'team/failed:v1',
        region: 'us-east-1',
        'scan-status': 'UNSUPPORTED_IMAGE',
        verdict: 'failed',
        failure: `${reports[1]!.verdict.failure!.slice(0, 199)}…`,
      },
      {
        image: 'team/over:v1',
        region: 'us-east-1',
        'scan-status': 'COMPLETE',
        'findings-total': '1',
        critical: '0',
        high: '1',
        'threshold-exceeded': 'true',
        verdict: 'failed',
        failure: reports[2]!.verdict.failure,
      },
    ])
  })

  it('keeps the failing images that fit in failing-truncated, in order, within the budget', () => {
    const broken = image('broken', {
      scanStatus: 'FAILED',
      scanStatusDescription:
        'Unable to retrieve image manifest: the image layers could not be read.',
      findings: undefined,
    })
    const four = [...reports, { result: broken, verdict: judge(broken, strict) }]
    const others = withoutResults(stepOutputs(four))
    const [, failed, over] = compactEntries().map((entry) => JSON.stringify(entry))
    const truncated = (...entries: string[]) => ({
      [Outputs.results]: `[${entries.join(',')}]`,
      [Outputs.resultsForm]: 'failing-truncated',
    })
    const within = (results: OutputValues, less = 0) => {
      const budget = outputsSize(others) + outputsSize(results) - less
      const values = stepOutputs(four, budget)
      expect(withoutResults(values)).toEqual(others)
      expect(outputsSize(values)).toBeLessThanOrEqual(budget)
      return {
        [Outputs.results]: values[Outputs.results],
        [Outputs.resultsForm]: values[Outputs.resultsForm],
      }
    }
    // Room for two of the three entries exactly, and for a character less.
    expect(within(truncated(failed!, over!))).toEqual(truncated(failed!, over!))
    expect(within(truncated(failed!, over!), 2)).toEqual(truncated(failed!))
  })
})

describe('the failure line of a compact entry', () => {
  it('stays whole at 200 characters', () => {
    const result = completedResult([], { findings: undefined, scanStatus: 'FAILED' })
    const failure = `${'f'.repeat(199)}.`
    const reports = [
      { result, verdict: { warnings: [], notes: [], failure } },
      report(completedResult()),
    ]
    const full = stepOutputs(reports)
    const values = stepOutputs(reports, outputsSize(full) - 2)
    expect(values[Outputs.resultsForm]).toBe('compact')
    const entries = JSON.parse(values[Outputs.results]!) as Record<string, string>[]
    expect(entries[0]).toEqual({
      image: 'team/api:v1',
      region: 'us-east-1',
      'scan-status': 'FAILED',
      failure,
    })
  })
})
