// Nightly runs and the quota: with a repository pattern and the default on-limit-exceeded, an
// image scanned in the last 24 hours is reported from that scan, not scanned again; an older
// scan, or none, is started as before; on-limit-exceeded: fail keeps asking for a scan.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
} from '@aws-sdk/client-ecr'
import { FakeClock } from '../__fixtures__/clock.js'
import { scanImage } from '../src/scan/image.js'
import { getSettings, type ImageRequest } from '../src/inputs/settings.js'
import { isRecentScan } from '../src/scan/recent-scans.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'
import type { InputName } from '../src/kernel/names.js'

const HOUR = 60 * 60 * 1000
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0)
const DIGEST = `sha256:${'d'.repeat(64)}`
const ecr = mockClient(ECRClient)
const client = new ECRClient({ region: 'eu-west-1' })

const request: ImageRequest = {
  target: { repositoryName: 'team/api', imageTag: 'production' },
  region: 'eu-west-1',
  resolved: {
    registryId: '123456789012',
    repositoryName: 'team/api',
    imageDigest: DIGEST,
    imageTag: 'production',
  },
}

function completedAgo(ms: number): Partial<DescribeImageScanFindingsCommandOutput> {
  return {
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
    imageScanFindings: {
      imageScanCompletedAt: new Date(NOW - ms),
      findingSeverityCounts: { HIGH: 1 },
      findings: [{ name: 'CVE-2024-0001', severity: 'HIGH' }],
    },
  }
}

function scanSettings(inputs: Partial<Record<InputName, string>> = {}) {
  const read = { repository: 'team/*', 'image-tag': 'production', ...inputs }
  return getSettings((name) => read[name as keyof typeof read] ?? '', {
    AWS_REGION: 'eu-west-1',
  }).scan
}

async function scan(
  inputs: Partial<Record<InputName, string>> = {},
  scanType: 'BASIC' | 'ENHANCED' = 'BASIC',
) {
  const lines: string[] = []
  const log = {
    info: (message: string) => lines.push(message),
    notice: (message: string) => lines.push(message),
    warning: (message: string) => lines.push(message),
    debug: () => undefined,
  }
  const [outcome] = await scanImage(
    request,
    { ...scanSettings(inputs), scanType },
    {
      client: () => client,
      clock: new FakeClock(NOW),
      log,
      registryScanTypes: new Map(),
      policy: WAIT_POLICY,
    },
  )
  if (!outcome) throw new Error('no outcome')
  return { outcome, lines }
}

beforeEach(() => {
  ecr.reset()
})

describe('a scan of the last 24 hours', () => {
  it('is reported, with one read of findings and no StartImageScan', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(completedAgo(23 * HOUR))
    ecr.on(StartImageScanCommand).rejects(new Error('must not be asked'))
    const { outcome, lines } = await scan()
    expect(outcome.error).toBeUndefined()
    expect(outcome.result).toMatchObject({
      scanStarted: false,
      recentScanReused: true,
      scanStatus: 'COMPLETE',
      findings: { severityCounts: { HIGH: 1 } },
    })
    expect(outcome.result.limitExceeded).toBeUndefined()
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
    // The page read to decide is the wait's first answer, not asked for again.
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
    expect(lines[0]).toBe(
      'Scanned at 2026-12-05T03:00:00.000Z, less than 24 hours ago: reporting that scan instead of starting another (ECR allows one basic scan per image per 24 hours).',
    )
  })

  it('is reported without waiting too', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(completedAgo(HOUR))
    const { outcome } = await scan({ wait: 'false' })
    expect(outcome.result).toMatchObject({ recentScanReused: true, scanStatus: 'COMPLETE' })
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
  })
})

describe('a scan is started', () => {
  it('when the last one is 24 hours old or more', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(completedAgo(24 * HOUR))
    ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
    const { outcome } = await scan({ wait: 'false' })
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
    expect(outcome.result.recentScanReused).toBeUndefined()
    expect(outcome.result.scanStarted).toBe(true)
  })

  it('when there is no scan, or it cannot be read', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(Object.assign(new Error('no scan'), { name: 'ScanNotFoundException' }))
      .resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
    ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
    await scan({ wait: 'false' })
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
  })

  it('with on-limit-exceeded: fail, whatever the last scan', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(completedAgo(HOUR))
    ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
    await scan({ wait: 'false', 'on-limit-exceeded': 'fail' })
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
    // Not read first: the step asked for a scan of each image.
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0)
  })
})

describe('enhanced scanning', () => {
  it('reads its findings once: it starts no scan, so there is no quota to keep', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(completedAgo(HOUR))
    const { outcome } = await scan({}, 'ENHANCED')
    expect(outcome.result.recentScanReused).toBeUndefined()
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
  })
})

describe('isRecentScan', () => {
  const page = (status: string, ago?: number) => ({
    scanStatus: status,
    findings: [],
    imageScanCompletedAt: ago === undefined ? undefined : new Date(NOW - ago),
  })
  it.each([
    ['COMPLETE', 0, true],
    ['COMPLETE', 24 * HOUR - 1, true],
    ['COMPLETE', 24 * HOUR, false],
    ['COMPLETE', undefined, false],
    ['IN_PROGRESS', HOUR, false],
    ['FAILED', HOUR, false],
  ] as const)('%s completed %s ms ago is recent: %s', (status, ago, expected) => {
    expect(isRecentScan(page(status, ago), NOW)).toBe(expected)
  })
})
