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
import { outputsOf, outputsSize, resultsFormNote, stepOutputs } from '../src/report/outputs.js'

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
    const result = completedResult([exploitable, plain, { ...exploitable, id: 'CVE-E2' }])
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
