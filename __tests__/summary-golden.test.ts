// The job summary, whole, for the scans a user meets, built from real ECR answers
// (__fixtures__/realdata/, sources in its SOURCES.md) and compared byte for byte with the
// Markdown in __fixtures__/summary/. Every blank line matters there: GitHub ends an alert
// (`> [!CAUTION]`), a table or a <details> block only at one. After a deliberate change, rewrite
// the files with `UPDATE_GOLDEN=1 npm test -- summary-golden`, then read each one as GitHub shows it.
import { describe, expect, it } from '@jest/globals'
import { goldenFiles, judged, notFoundReport, readAnswer } from '../__fixtures__/golden.js'
import {
  BASELINE_DIGEST,
  comparedResult,
  completedResult,
  finding,
} from '../__fixtures__/results.js'
import { applyIgnoreRules } from '../src/facts/ignore.js'
import { stepFailure } from '../src/verdict/step.js'
import { renderStepSummary, renderSummary } from '../src/report/summary.js'

const expectGolden = goldenFiles('summary')

describe('the job summary, whole', () => {
  it('of a basic scan over the threshold, with an ignored finding, an unread page and a reused quota', () => {
    const answer = readAnswer('findings/basic-clair-alpine-complete-workshop.json')
    const read = answer.findings!
    const result = applyIgnoreRules(
      completedResult([], {
        ...answer,
        findings: { ...read, unread: 2 },
        scanStarted: false,
        limitExceeded: true,
        scanFrequency: 'SCAN_ON_PUSH',
        indexDigest: `sha256:${'a'.repeat(64)}`,
      }),
      [
        {
          id: read.list[0]!.id,
          reason: 'not reachable <in our code>',
          expires: '2027-01-31',
          source: '.github/ecr-scan-ignore.yml entry 1',
        },
      ],
    )
    const report = judged(result, { failOnSeverity: 'MEDIUM' })
    const { verdict } = report
    expect(verdict.failure).toBeDefined()
    expect(verdict.warnings).not.toHaveLength(0)
    expectGolden(renderSummary(report), 'basic-failed.md')
  })

  it('of an enhanced scan whose findings were still changing at wait-timeout, with a known exploit', () => {
    const answer = readAnswer('findings/enhanced-active-debian-aws-apiref-example.json')
    const list = answer.findings!.list.map((f) => ({ ...f, exploitAvailable: 'YES' }))
    const result = completedResult([], {
      ...answer,
      findings: { ...answer.findings!, list },
      scanType: 'ENHANCED',
      scanStarted: false,
      scanFrequency: 'CONTINUOUS_SCAN',
      timedOut: true,
      findingsUnsettled: true,
    })
    const report = judged(result, { onScanFailure: 'warn' })
    const { verdict } = report
    expect(verdict.failure).toBeUndefined()
    expectGolden(renderSummary(report), 'enhanced-timed-out.md')
  })

  it('of a basic scan that found nothing, under the threshold', () => {
    const result = completedResult([], {
      scanStatusDescription: undefined,
      scanFrequency: 'MANUAL',
    })
    const report = judged(result, { failOnSeverity: 'HIGH' })
    const { verdict } = report
    expect(verdict.thresholdExceeded).toBe(false)
    expectGolden(renderSummary(report), 'basic-zero.md')
  })

  it('of an image the step could not resolve', () => {
    expectGolden(renderSummary(notFoundReport()), 'not-resolved.md')
  })

  it('of an image compared with its baseline: new, fixed and unchanged findings', () => {
    const read = readAnswer('findings/basic-clair-alpine-complete-workshop.json').findings!.list
    const [kept, gone, ...fresh] = read
    const result = comparedResult([kept!, ...fresh], [kept!, gone!])
    const report = judged(result, { failOnSeverity: 'CRITICAL', onlyNew: true })
    expectGolden(renderSummary(report), 'compared.md')
  })

  it('of a step with several images: the overview, then each image', () => {
    const failed = completedResult([finding('CVE-2024-1', 'CRITICAL')], {
      target: { repositoryName: 'team/api', imageTag: 'v1' },
    })
    const late = completedResult([], {
      target: { repositoryName: 'team/worker', imageTag: 'v1' },
      findings: undefined,
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: undefined,
      timedOut: true,
    })
    const compared = completedResult([finding('CVE-2024-2', 'LOW')], {
      target: { repositoryName: 'team/web', imageTag: 'v1' },
      baseline: {
        label: 'team/web:production',
        imageDigest: BASELINE_DIGEST,
        outcome: 'compared',
        findings: [],
      },
    })
    const settings = { failOnSeverity: 'HIGH' as const }
    const reports = [judged(failed, settings), judged(late, settings), judged(compared, settings)]
    expectGolden(renderStepSummary(reports, stepFailure(reports)), 'step.md')
  })
})
