// Real DescribeImageScanFindings answers (__fixtures__/realdata/findings) replayed by the emulator:
// through the unmodified AWS SDK each reads back as the real one, placeholder values and all.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { DescribeImageScanFindingsCommand } from '@aws-sdk/client-ecr'
import {
  ManualClock,
  scanProfileFromResponse,
  type ScanFindingsResponse,
} from '../tools/emulator/index.ts'
import { wireRequest, withEmulator } from './helpers/emulator.js'

const START = Date.UTC(2026, 0, 1)
const FINDINGS = new URL('../__fixtures__/realdata/findings/', import.meta.url)

const clock = new ManualClock(START)
const { emulator, ecr } = withEmulator(clock)

type Sample = ScanFindingsResponse & {
  registryId: string
  repositoryName: string
  imageId: { imageTag?: string; imageDigest?: string }
}

const sample = (file: string): Sample =>
  JSON.parse(readFileSync(new URL(file, FINDINGS), 'utf8')) as Sample

// The StartImageScan answers in the folder are named so; every other file answers DescribeImageScanFindings.
const DESCRIBE_ANSWERS = readdirSync(FINDINGS).filter(
  (file) => file.endsWith('.json') && !file.startsWith('start-image-scan'),
)

/**
 * The sample as the SDK reads it: every member ending in `At` is a timestamp (epoch seconds on the
 * wire, an ISO string where the AWS CLI printed it), and a null `imageScanFindings` is absent.
 */
function asSdkReads(value: unknown, key = ''): unknown {
  if (key.endsWith('At') && (typeof value === 'number' || typeof value === 'string')) {
    return new Date(typeof value === 'number' ? value * 1000 : value)
  }
  if (value === null) return undefined
  if (Array.isArray(value)) return value.map((entry) => asSdkReads(entry))
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([member, entry]) => [member, asSdkReads(entry, member)]),
    )
  }
  return value
}

/** Seeds the sample's image (its repository and tag) with a basic scan that replays the sample. */
function seedReplay(real: Sample): string {
  const tag = real.imageId.imageTag ?? 'replayed'
  emulator.putImage({
    repositoryName: real.repositoryName,
    tag,
    scannedAt: START,
    scanResponse: real,
  })
  return tag
}

const findingsOf = (real: Sample, imageTag: string, maxResults?: number, nextToken?: string) =>
  ecr.send(
    new DescribeImageScanFindingsCommand({
      registryId: real.registryId,
      repositoryName: real.repositoryName,
      imageId: { imageTag },
      maxResults,
      nextToken,
    }),
  )

describe('real DescribeImageScanFindings answers replayed', () => {
  it.each(DESCRIBE_ANSWERS)('%s reads back as ECR sent it', async (file) => {
    const real = sample(file)
    const answer = await findingsOf(real, seedReplay(real))
    expect(answer.registryId).toBe(real.registryId)
    expect(answer.repositoryName).toBe(real.repositoryName)
    expect(answer.imageScanStatus).toEqual(real.imageScanStatus)
    expect(answer.imageScanFindings).toEqual(asSdkReads(real.imageScanFindings))
  })

  it('keeps the placeholder values Inspector and ECR really send', async () => {
    const enhanced = sample('enhanced-active-debian-aws-apiref-example.json')
    const [finding] = (await findingsOf(enhanced, seedReplay(enhanced))).imageScanFindings
      ?.enhancedFindings ?? [undefined]
    expect(finding?.packageVulnerabilityDetails?.vulnerablePackages?.[0]?.fixedInVersion).toBe(
      'NotAvailable',
    )
    expect(finding?.packageVulnerabilityDetails?.vendorSeverity).toBe('not yet assigned')
    expect(finding?.remediation?.recommendation?.text).toBe('None Provided')
    expect(finding?.firstObservedAt).toEqual(new Date('2025-05-27T17:54:07.765Z'))

    const basic = sample('basic-cvss3-debian-page1-nextToken-dynatrace.json')
    const page = await findingsOf(basic, seedReplay(basic))
    expect(page.imageScanFindings?.findings?.[0]?.uri).toBe(
      'https://security-tracker.debian.org/tracker/CVE-2023-45871 ',
    )
    // The counts are the real ones for the whole image, not the four findings of this page.
    expect(page.imageScanFindings?.findingSeverityCounts).toEqual({
      HIGH: 125,
      MEDIUM: 188,
      LOW: 30,
      UNDEFINED: 13,
      INFORMATIONAL: 353,
      CRITICAL: 6,
    })

    const scratch = sample('basic-failed-unsupported-scratch-workshop.json')
    const { json } = await wireRequest(emulator.url, 'DescribeImageScanFindings', {
      repositoryName: scratch.repositoryName,
      imageId: { imageTag: seedReplay(scratch) },
    })
    expect(json).toMatchObject({ imageScanFindings: null })
  })

  it('sends ISO timestamps of a CLI-printed sample as epoch seconds', async () => {
    const real = sample('enhanced-active-debian-aws-apiref-example.json')
    const { json } = await wireRequest(emulator.url, 'DescribeImageScanFindings', {
      repositoryName: real.repositoryName,
      imageId: { imageTag: seedReplay(real) },
    })
    const wire = (json as { imageScanFindings: Record<string, unknown> }).imageScanFindings
    expect(wire.imageScanCompletedAt).toBe(1749452920.144)
    expect(wire.enhancedFindings).toEqual([
      expect.objectContaining({
        firstObservedAt: 1748368447.765,
        resources: [
          expect.objectContaining({
            details: {
              awsEcrContainerImage: expect.objectContaining({
                pushedAt: 1748368430.554,
                lastInUseAt: 1749444200.427,
              }),
            },
          }),
        ],
      }),
    ])
  })

  it('pages replayed findings and keeps the counts as given on every page', async () => {
    const real = sample('basic-clair-alpine-complete-workshop.json')
    const tag = seedReplay(real)
    const first = await findingsOf(real, tag, 3)
    expect(first.imageScanFindings?.findings?.map((f) => f.name)).toEqual([
      'CVE-2021-30139',
      'CVE-2021-36159',
      'CVE-2021-28831',
    ])
    const second = await findingsOf(real, tag, 3, first.nextToken)
    expect(second.imageScanFindings?.findings?.map((f) => f.name)).toEqual(['CVE-2020-28928'])
    expect(second.nextToken).toBeUndefined()
    expect(second.imageScanFindings?.findingSeverityCounts).toEqual({ MEDIUM: 3, LOW: 1 })
  })

  it('turns a response into a profile that waits durationMs like any other', async () => {
    const real = sample('enhanced-scan-on-push-complete-before-findings-arrive.json')
    expect(scanProfileFromResponse(real)).toEqual({
      outcome: 'COMPLETE',
      description: 'The scan was completed successfully.',
      imageScanFindings: { findings: [] },
    })
    emulator.putImage({
      repositoryName: 'repo',
      tag: 'latest',
      scannedAt: START,
      scanProfile: { ...scanProfileFromResponse(real), durationMs: 5000 },
    })
    expect((await findingsOf(real, 'latest')).imageScanStatus?.status).toBe('IN_PROGRESS')
    clock.advance(5000)
    expect((await findingsOf(real, 'latest')).imageScanFindings).toEqual({ findings: [] })
  })

  it('replays a response seeded over HTTP', async () => {
    const real = sample('basic-or-enhanced-pending-empty-lists.json')
    const response = await fetch(`${emulator.url}/_emulator/seed`, {
      method: 'POST',
      body: JSON.stringify({
        images: [{ repositoryName: 'dummy', tag: 'v1', scannedMsAgo: 0, scanResponse: real }],
      }),
    })
    expect(response.status).toBe(200)
    const answer = await findingsOf(real, 'v1')
    expect(answer.imageScanStatus).toEqual({
      status: 'PENDING',
      description: 'Pending start of the image scan.',
    })
    expect(answer.imageScanFindings).toEqual({ findings: [], enhancedFindings: [] })
  })
})
