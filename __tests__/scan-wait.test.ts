// waitForScan on its own: what it answers for each way a wait ends, and how it reads the pages of
// a final scan's findings. Mocked ECR, virtual time.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  type DescribeImageScanFindingsCommandInput,
  type DescribeImageScanFindingsCommandOutput,
  type ScanStatus,
} from '@aws-sdk/client-ecr'
import { FakeClock } from '../__fixtures__/clock.js'
import type { Log } from '../src/kernel/log.js'
import { waitForScan, type WaitRequest } from '../src/scan/wait.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'

const DIGEST = `sha256:${'d'.repeat(64)}`
const ecr = mockClient(ECRClient)
const client = new ECRClient({ region: 'us-east-1' })

type Answer = Partial<DescribeImageScanFindingsCommandOutput>

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: { httpStatusCode: status },
  })
}

/** A basic page: `ids` listed, with `counts` (or HIGH for each listed one), and `nextToken`. */
function page(ids: string[], nextToken?: string, counts?: Record<string, number>): Answer {
  return {
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings: {
      findingSeverityCounts: counts ?? { HIGH: ids.length },
      findings: ids.map((name) => ({ name, severity: 'HIGH' })),
    },
    nextToken,
  }
}

const status = (value: string): Answer => ({
  imageScanStatus: { status: value as ScanStatus },
})

let clock: FakeClock
let lines: string[]
const log: Log = {
  info: (message) => lines.push(`info: ${message}`),
  notice: (message) => lines.push(`notice: ${message}`),
  warning: (message) => lines.push(`warning: ${message}`),
  debug: (message) => lines.push(`debug: ${message}`),
}

function request(overrides: Partial<WaitRequest> = {}): WaitRequest {
  return {
    client,
    image: { registryId: '123456789012', repositoryName: 'team/api', imageDigest: DIGEST },
    label: 'team/api:v1',
    clock,
    log,
    timeoutMs: 60_000,
    justStarted: false,
    settle: false,
    missingScanGraceMs: 0,
    policy: WAIT_POLICY,
    ...overrides,
  }
}

/** Answers by the request's nextToken: undefined for the first page. */
function pages(byToken: Record<string, Answer | Error>): void {
  ecr.on(DescribeImageScanFindingsCommand).callsFake(async (input) => {
    const answer = byToken[(input as DescribeImageScanFindingsCommandInput).nextToken ?? 'first']
    if (answer === undefined) throw new Error('unexpected token')
    if (answer instanceof Error) throw answer
    return answer
  })
}

const tokensAsked = () =>
  ecr
    .commandCalls(DescribeImageScanFindingsCommand)
    .map((call) => call.args[0].input.nextToken ?? 'first')

beforeEach(() => {
  ecr.reset()
  clock = new FakeClock()
  lines = []
})

describe('a final scan’s findings are read page by page', () => {
  it('follows nextToken to the last page, with the counts of the first', async () => {
    pages({
      first: page(['CVE-1', 'CVE-2'], 'p2', { HIGH: 4, LOW: 1 }),
      p2: page(['CVE-3'], 'p3', {}),
      p3: page(['CVE-4', 'CVE-5'], undefined, {}),
    })
    const wait = await waitForScan(request())
    expect(wait.outcome).toBe('final')
    expect(wait.findings?.list.map((finding) => finding.id)).toEqual([
      'CVE-1',
      'CVE-2',
      'CVE-3',
      'CVE-4',
      'CVE-5',
    ])
    expect(wait.findings?.severityCounts).toMatchObject({ HIGH: 4, LOW: 1 })
    expect(wait.findings?.unread).toBe(0)
    expect(tokensAsked()).toEqual(['first', 'p2', 'p3'])
  })

  it('stops at a nextToken it has already followed', async () => {
    pages({
      first: page(['CVE-1'], 'p2', { HIGH: 3 }),
      p2: page(['CVE-2'], 'p3', {}),
      p3: page(['CVE-3'], 'p2', {}),
    })
    const wait = await waitForScan(request())
    expect(tokensAsked()).toEqual(['first', 'p2', 'p3'])
    expect(wait.findings?.list).toHaveLength(3)
  })

  it('reads at most 2,000 pages when ECR keeps answering with a new nextToken', async () => {
    let asked = 0
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      asked += 1
      return page([`CVE-${asked}`], `p${asked + 1}`, { HIGH: 5000 })
    })
    const wait = await waitForScan(request())
    expect(asked).toBe(2000)
    expect(wait.findings?.list).toHaveLength(2000)
    expect(wait.findings?.unread).toBe(3000)
  })

  it('keeps the counts and says the list is short when a page cannot be read', async () => {
    pages({
      first: page(['CVE-1', 'CVE-2'], 'p2', { HIGH: 5 }),
      p2: awsError('AccessDeniedException', 403),
    })
    const wait = await waitForScan(request())
    expect(wait.outcome).toBe('final')
    expect(wait.findings?.list).toHaveLength(2)
    expect(wait.findings?.severityCounts.HIGH).toBe(5)
    expect(wait.findings?.unread).toBe(3)
    expect(lines).toContain(
      'warning: Could not read every page of findings of team/api:v1 (AccessDeniedException happened); the counts are complete, the list in the summary is not.',
    )
  })

  it('stops when the scan is gone between pages', async () => {
    pages({
      first: page(['CVE-1'], 'p2', { HIGH: 2 }),
      p2: awsError('ScanNotFoundException', 400),
    })
    const wait = await waitForScan(request())
    expect(wait.findings?.list).toHaveLength(1)
    expect(wait.findings?.unread).toBe(1)
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([])
  })

  it('counts no unread findings when the list is longer than the counts', async () => {
    pages({ first: page(['CVE-1', 'CVE-2'], undefined, { HIGH: 1 }) })
    const wait = await waitForScan(request())
    expect(wait.findings?.unread).toBe(0)
  })
})

describe('how a wait ends', () => {
  it('polls past IN_PROGRESS and logs each new status once', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('IN_PROGRESS'))
      .resolvesOnce(status('IN_PROGRESS'))
      .resolves(page(['CVE-1']))
    const wait = await waitForScan(request())
    expect(wait).toMatchObject({ outcome: 'final', scanStatus: 'COMPLETE' })
    expect(lines.filter((line) => line.startsWith('info: Scan status'))).toEqual([
      'info: Scan status: IN_PROGRESS.',
      'info: Scan status: COMPLETE.',
    ])
    expect(clock.sleeps).toEqual([2000, 2000])
  })

  it('waits one delay before the first poll of a scan it just started', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(page([]))
    await waitForScan(request({ justStarted: true }))
    expect(clock.sleeps).toEqual([2000])
  })

  it('answers timed-out with the last status and why it went on', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(status('IN_PROGRESS'))
    const wait = await waitForScan(request({ timeoutMs: 5000 }))
    expect(wait).toMatchObject({
      outcome: 'timed-out',
      scanStatus: 'IN_PROGRESS',
      reason: 'the scan was still IN_PROGRESS',
    })
    expect(wait.findings).toBeUndefined()
    expect(wait.lastPollError).toBeUndefined()
    expect(lines).toContain('info: Stopped waiting after 5 s: the scan was still IN_PROGRESS.')
  })

  it('answers cancelled with the last status when the signal aborts', async () => {
    const controller = new AbortController()
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      controller.abort()
      return status('IN_PROGRESS')
    })
    const wait = await waitForScan(request({ signal: controller.signal }))
    expect(wait).toMatchObject({ outcome: 'cancelled', scanStatus: 'IN_PROGRESS' })
  })

  it('retries a transient poll error and names it when no poll was ever answered', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ThrottlingException', 400))
    const wait = await waitForScan(request({ timeoutMs: 5000 }))
    expect(wait.outcome).toBe('timed-out')
    expect(wait.lastPollError).toBe('ThrottlingException happened')
    expect(wait.reason).toBe('the last poll failed: ThrottlingException happened')
    expect(lines).toContain(
      'info: Polling was interrupted (ThrottlingException happened); trying again.',
    )
  })

  it('forgets a transient poll error once a poll is answered', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .resolves(status('IN_PROGRESS'))
    const wait = await waitForScan(request({ timeoutMs: 5000 }))
    expect(wait.lastPollError).toBeUndefined()
  })

  it('ends at once, as failed, on an error that is not transient', async () => {
    const denied = awsError('AccessDeniedException', 403)
    ecr.on(DescribeImageScanFindingsCommand).rejects(denied)
    const wait = await waitForScan(request())
    expect(wait).toMatchObject({ outcome: 'failed', error: denied })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
  })

  it('answers no-scan at once without a grace, and after it with one', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 400))
    expect((await waitForScan(request())).outcome).toBe('no-scan')
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)

    ecr.resetHistory()
    const graced = await waitForScan(request({ missingScanGraceMs: 6000 }))
    expect(graced.outcome).toBe('no-scan')
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).length).toBeGreaterThan(2)
  })

  it('answers no-scan when the grace outlasts the wait and the scan never appeared', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 400))
    const wait = await waitForScan(request({ missingScanGraceMs: 60_000, timeoutMs: 5000 }))
    expect(wait.outcome).toBe('no-scan')
  })

  it('reads a FAILED scan’s findings only when it has counts', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      ...page(['CVE-1']),
      imageScanStatus: { status: 'FAILED', description: 'stopped' },
    })
    const withCounts = await waitForScan(request())
    expect(withCounts).toMatchObject({ outcome: 'final', scanStatus: 'FAILED' })
    expect(withCounts.findings?.list).toHaveLength(1)

    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'FAILED', description: 'UnsupportedImageError' },
    })
    const without = await waitForScan(request())
    expect(without).toMatchObject({ outcome: 'final', scanStatus: 'FAILED' })
    expect(without.findings).toBeUndefined()
  })
})

describe('what a wait says about the status it saw', () => {
  it('logs a new description of the same status and keeps it as the last one', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('IN_PROGRESS'))
      .resolves({ imageScanStatus: { status: 'IN_PROGRESS', description: 'Scanning layers' } })
    const wait = await waitForScan(request({ timeoutMs: 5000 }))
    expect(lines.filter((line) => line.startsWith('info: Scan status'))).toEqual([
      'info: Scan status: IN_PROGRESS.',
      'info: Scan status: IN_PROGRESS (Scanning layers).',
    ])
    expect(wait.scanStatusDescription).toBe('Scanning layers')
  })

  it('says ECR gave no status when it answers without one', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({})
    const wait = await waitForScan(request({ timeoutMs: 5000 }))
    expect(wait).toMatchObject({
      outcome: 'timed-out',
      reason: 'ECR answered without a scan status',
    })
    expect(lines).toContain('info: Stopped waiting after 5 s: ECR answered without a scan status.')
  })

  it('says no scan existed yet when the job is cancelled during the grace for a missing scan', async () => {
    const controller = new AbortController()
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      controller.abort()
      throw awsError('ScanNotFoundException', 400)
    })
    const wait = await waitForScan(
      request({ signal: controller.signal, missingScanGraceMs: 60_000 }),
    )
    expect(wait).toMatchObject({
      outcome: 'cancelled',
      reason: 'no scan of the image existed yet',
    })
  })
})

describe('enhanced findings are read until two reads agree', () => {
  /** First-page answers in turn, the last one repeated; later pages by their nextToken. */
  function reads(firsts: Answer[], later: Record<string, Answer> = {}): void {
    let read = 0
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async (input) => {
      const token = (input as DescribeImageScanFindingsCommandInput).nextToken
      if (token === undefined) return firsts[Math.min(read++, firsts.length - 1)]
      const answer = later[token]
      if (answer === undefined) throw new Error('unexpected token')
      return answer
    })
  }

  const settled = () => lines.filter((line) => line.startsWith('info: Findings settled'))
  const arriving = () => lines.filter((line) => line.startsWith('info: Findings still arriving'))

  it('takes the same counts listed in another order as the same read', async () => {
    reads([
      page(['CVE-1', 'CVE-2'], undefined, { HIGH: 1, LOW: 1 }),
      page(['CVE-1', 'CVE-2'], undefined, { LOW: 1, HIGH: 1 }),
    ])
    const wait = await waitForScan(request({ settle: true }))
    expect(wait.outcome).toBe('final')
    expect(clock.sleeps).toEqual([3000])
    expect(arriving()).toEqual([])
  })

  it('takes reads that differ only in their nextToken as the same read', async () => {
    reads([page(['CVE-1'], 'token-a', { HIGH: 2 }), page(['CVE-1'], 'token-b', { HIGH: 2 })], {
      'token-b': page(['CVE-2'], undefined, {}),
    })
    const wait = await waitForScan(request({ settle: true }))
    expect(tokensAsked()).toEqual(['first', 'first', 'token-b'])
    expect(wait.findings?.list).toHaveLength(2)
  })

  it('believes counts without a listed finding once two reads agree', async () => {
    reads([page([], undefined, { HIGH: 2 })])
    const wait = await waitForScan(request({ settle: true }))
    expect(wait.outcome).toBe('final')
    expect(clock.sleeps).toEqual([3000])
    expect(settled()).toEqual(['info: Findings settled: two reads 3 s apart agree (2 findings).'])
  })

  it('believes listed findings without counts once two reads agree', async () => {
    reads([
      {
        imageScanStatus: { status: 'ACTIVE' },
        imageScanFindings: {
          enhancedFindings: [
            { severity: 'HIGH', packageVulnerabilityDetails: { vulnerabilityId: 'CVE-1' } },
            { severity: 'LOW', packageVulnerabilityDetails: { vulnerabilityId: 'CVE-2' } },
          ],
        },
      },
    ])
    const wait = await waitForScan(request({ settle: true }))
    expect(wait.outcome).toBe('final')
    expect(clock.sleeps).toEqual([3000])
    expect(settled()).toEqual(['info: Findings settled: two reads 3 s apart agree (2 findings).'])
  })

  it('says at wait-timeout whether findings had not arrived or were still changing', async () => {
    reads([{ imageScanStatus: { status: 'COMPLETE' } }])
    const empty = await waitForScan(request({ settle: true, timeoutMs: 6000 }))
    expect(empty).toMatchObject({
      outcome: 'timed-out',
      reason: "Amazon Inspector's findings had not arrived yet",
    })
    expect(lines).toContain(
      "info: Stopped waiting after 6 s: Amazon Inspector's findings had not arrived yet.",
    )
    ecr.reset()
    lines = []
    clock = new FakeClock()
    let read = 0
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      read += 1
      return page(Array.from({ length: read }, (_, i) => `CVE-${i}`))
    })
    const changing = await waitForScan(request({ settle: true, timeoutMs: 6000 }))
    expect(changing).toMatchObject({
      outcome: 'timed-out',
      reason: "Amazon Inspector's findings were still changing (2 findings)",
      findingsUnsettled: true,
    })
  })

  it('believes a result with neither counts nor findings only after 15 s, and says none had come', async () => {
    reads([{ imageScanStatus: { status: 'COMPLETE' } }])
    const wait = await waitForScan(request({ settle: true }))
    expect(wait.outcome).toBe('final')
    expect(clock.sleeps).toEqual([3000, 3000, 3000, 3000, 3000])
    expect(settled()).toEqual(['info: Findings settled: two reads 3 s apart agree (no findings).'])
  })
})
