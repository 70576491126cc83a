// Behaviours a review found guarded by a single test, or by none: each gets a test of its own
// here, from another side than the first (a planted bug in any of them fails one of these).
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
  type ScanStatus,
} from '@aws-sdk/client-ecr'
import { FakeClock } from '../__fixtures__/clock.js'
import { realAnswer } from '../__fixtures__/realdata.js'
import {
  completedResult,
  DIGEST,
  finding,
  reportOf,
  settingsWith,
  type FlatSettings,
} from '../__fixtures__/results.js'
import { getSettings } from '../src/inputs/settings.js'
import type { InputName } from '../src/kernel/names.js'
import type { Log } from '../src/kernel/log.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'
import { Outputs } from '../src/kernel/names.js'
import { scanImage } from '../src/scan/image.js'
import { stepOutputs } from '../src/report/outputs.js'
import { renderComment } from '../src/report/comment.js'
import { renderStepSummary, renderSummary } from '../src/report/summary.js'
import { stepFailure } from '../src/verdict/step.js'

const HOST = (region: string) => `123456789012.dkr.ecr.${region}.amazonaws.com`
const settingsOf = (inputs: Partial<Record<InputName, string>>, env = {}) =>
  getSettings(
    (name) => inputs[name] ?? '',
    env,
    () => '',
  )

describe('the summary of a scan that did not finish, when the user chose to ignore that', () => {
  const late = completedResult([], {
    findings: undefined,
    scanStatus: 'IN_PROGRESS',
    timedOut: true,
  })
  const report = reportOf(late, settingsWith({ onScanFailure: 'ignore' }))

  it('has no warning and no failure, yet never the ✅ of a finished scan', () => {
    expect(report.verdict.warnings).toEqual([])
    expect(report.verdict.failure).toBeUndefined()
    expect(renderSummary(report)).toMatch(/^## ⚠️ ECR image scan/)
  })

  it('nor in the overview of several images', () => {
    const clean = reportOf(completedResult(), settingsWith())
    const summary = renderStepSummary([clean, report], undefined)
    expect(summary).toMatch(/^## ⚠️ ECR image scan: 2 images/)
    expect(summary).toContain('IN_PROGRESS (timed out)')
  })
})

describe("the step's failure line with one failed image of three", () => {
  it('says how many failed and names the image', () => {
    const image = (tag: string, severity: string) =>
      reportOf(
        completedResult([finding('CVE-1', severity)], {
          target: { repositoryName: 'team/api', imageTag: tag },
        }),
        settingsWith({ failOnSeverity: 'HIGH' }),
      )
    const reports = [image('v1', 'LOW'), image('v2', 'HIGH'), image('v3', 'LOW')]
    expect(stepFailure(reports)).toBe(
      '1 of 3 images failed. team/api:v2: 1 finding at or above HIGH in team/api:v2 (1 HIGH). Fix them, or raise fail-on-severity; the job summary lists them.',
    )
  })
})

describe('enhanced findings settle when StartImageScan is what reveals an enhanced registry', () => {
  const ecr = mockClient(ECRClient)
  const completeBeforeFindings = realAnswer<Partial<DescribeImageScanFindingsCommandOutput>>(
    'findings/enhanced-scan-on-push-complete-before-findings-arrive.json',
  )
  const enhanced = (count: number): Partial<DescribeImageScanFindingsCommandOutput> => ({
    imageScanStatus: { status: 'COMPLETE' as ScanStatus },
    imageScanFindings: {
      findingSeverityCounts: { HIGH: count },
      enhancedFindings: Array.from({ length: count }, (_, i) => ({
        severity: 'HIGH',
        packageVulnerabilityDetails: { vulnerabilityId: `CVE-2024-${i}` },
      })),
    },
  })
  const quiet: Log = { info: () => {}, notice: () => {}, warning: () => {}, debug: () => {} }

  beforeEach(() => {
    ecr.reset()
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ registryId: '123456789012', imageDigest: DIGEST, imageTags: ['v1'] }],
    })
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    ecr
      .on(StartImageScanCommand)
      .rejects(
        Object.assign(new Error('This feature is disabled'), { name: 'ValidationException' }),
      )
  })

  it('reads every finding Inspector adds after COMPLETE, not the empty first answer', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(completeBeforeFindings)
      .resolvesOnce(enhanced(3))
      .resolves(enhanced(7))
    const flat: Partial<FlatSettings> = { scanType: 'auto' }
    const settings = settingsWith(flat)
    const [outcome] = await scanImage(settings.images[0]!, settings.scan, {
      client: () => ecr as unknown as ECRClient,
      clock: new FakeClock(),
      log: quiet,
      registryScanTypes: new Map(),
      policy: WAIT_POLICY,
    })
    expect(outcome?.result.scanType).toBe('ENHANCED')
    expect(outcome?.result.findings?.list).toHaveLength(7)
    expect(outcome?.result.findings?.severityCounts.HIGH).toBe(7)
  })
})

describe('the pull-request comment of an index whose first platform has no findings', () => {
  it('goes on to the platforms after it', () => {
    const indexDigest = `sha256:${'a'.repeat(64)}`
    const platform = (name: string, extra: object) =>
      reportOf(completedResult([], { platform: name, indexDigest, ...extra }), settingsWith())
    const body = renderComment(
      'us-east-1/team/api linux/amd64,linux/arm64',
      [
        platform('linux/amd64', { findings: undefined, scanStatus: 'FAILED' }),
        reportOf(
          completedResult([finding('CVE-2024-9', 'HIGH', { packageName: 'zlib' })], {
            platform: 'linux/arm64',
            indexDigest,
          }),
          settingsWith(),
        ),
      ],
      {},
    )
    expect(body).toContain('team/api:v1 (linux/arm64)')
    expect(body).toContain('CVE-2024-9')
  })
})

describe('second tests of single-test behaviours', () => {
  it('the same image URI twice in one region is scanned once, in two regions twice', () => {
    const uri = (region: string) => `${HOST(region)}/team/api:v1`
    const images = (...uris: string[]) => settingsOf({ image: uris.join('\n') }).images
    expect(images(uri('eu-west-1'), uri('eu-west-1'))).toHaveLength(1)
    expect(images(uri('eu-west-1'), uri('eu-central-1')).map(({ region }) => region)).toEqual([
      'eu-west-1',
      'eu-central-1',
    ])
  })

  it('wait-timeout takes a fraction of a second above 0, and refuses 0 naming the bound', () => {
    const base = { repository: 'team/api', 'image-tag': 'v1', region: 'us-east-1' }
    expect(settingsOf({ ...base, 'wait-timeout': '0.5' }).scan.waitTimeoutSeconds).toBe(0.5)
    expect(() => settingsOf({ ...base, 'wait-timeout': '0' })).toThrow(
      "Input 'wait-timeout' is '0'; expected a number of seconds greater than 0 and at most 21600.",
    )
  })

  it("the region input and an image URI's region win over AWS_REGION; an empty one is skipped", () => {
    const env = { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' }
    expect(settingsOf({ image: `${HOST('eu-west-1')}/api:v1` }, env).images[0]?.region).toBe(
      'eu-west-1',
    )
    const named = { repository: 'api', 'image-tag': 'v1', region: 'ca-central-1' }
    expect(settingsOf(named, env).images[0]?.region).toBe('ca-central-1')
    const blank = { AWS_REGION: '  ', AWS_DEFAULT_REGION: 'ap-south-1' }
    expect(settingsOf({ repository: 'api', 'image-tag': 'v1' }, blank).images[0]?.region).toBe(
      'ap-south-1',
    )
  })

  it("the platforms of an index give the index's digest once as image-digest", () => {
    const indexDigest = `sha256:${'e'.repeat(64)}`
    const platforms = ['linux/amd64', 'linux/arm64'].map((platform) =>
      reportOf(completedResult([], { platform, indexDigest }), settingsWith()),
    )
    expect(stepOutputs(platforms)[Outputs.imageDigest]).toBe(indexDigest)
  })

  it('names no last poll error when some poll was answered before the polls failed', () => {
    const late = completedResult([], {
      findings: undefined,
      scanStatus: 'IN_PROGRESS',
      timedOut: true,
      lastPollError: undefined,
    })
    const failure = reportOf(late, settingsWith({ waitTimeoutSeconds: 5 })).verdict.failure
    expect(failure).toBe(
      'The scan of team/api:v1 did not finish within wait-timeout (5 s); its last status was IN_PROGRESS (The scan was completed successfully). Raise wait-timeout, or set on-scan-failure: warn to accept an unfinished scan.',
    )
    expect(failure).not.toContain('kept failing')
  })
})
