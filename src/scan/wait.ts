// Waiting for one image's scan, and reading its findings once they hold still. Every status a
// poll answers is remembered, so a wait that ends early (timeout, cancellation, an ECR error)
// still says what ECR last reported. Enhanced scans (Amazon Inspector) are not final at
// COMPLETE: ECR has been seen answering COMPLETE with no findings and then, seconds later, part
// of them, then all; so their findings count only once two reads a few seconds apart agree.

import type { ECRClient } from '@aws-sdk/client-ecr'
import type { Clock } from '../kernel/clock.js'
import { isTransient } from '../ecr/errors.js'
import { describeFindingsPage, type FindingsPage } from '../ecr/findings.js'
import { errorMessage } from '../kernel/errors.js'
import {
  classifyStatus,
  countSeverities,
  totalOf,
  type Finding,
  type ResolvedImage,
  type ScanFindings,
} from '../kernel/model.js'
import type { Log } from '../kernel/log.js'
import { countOf } from '../kernel/text.js'
import { pollUntil } from './poll.js'
import type { WaitPolicy } from '../kernel/wait-policy.js'

/** Guards against a nextToken that never ends. */
const MAX_FINDINGS_PAGES = 2000

export interface WaitRequest {
  client: ECRClient
  image: ResolvedImage
  /** The image as the user named it, for messages ("team/api:v1"). */
  label: string
  clock: Clock
  log: Log
  /** Aborted when the job is cancelled. */
  signal?: AbortSignal
  /** wait-timeout in ms, from the start of this wait; settling counts against it too. */
  timeoutMs: number
  /** This run started the scan a moment ago: the first poll comes after one delay. */
  justStarted: boolean
  /** Enhanced findings are read until two reads agree. */
  settle: boolean
  /** How long "no scan exists" is polled again before it is final (0: at once). */
  missingScanGraceMs: number
  /** Poll and settle intervals. */
  policy: WaitPolicy
  /** A first page already read (a recent scan being reused): the first poll is this answer. */
  firstPage?: FindingsPage
}

/** What the wait learned. Status and description are the last ones a poll answered. */
export interface ScanWait {
  outcome: 'final' | 'timed-out' | 'cancelled' | 'no-scan' | 'failed'
  scanStatus?: string
  scanStatusDescription?: string
  /** Read at a final status, or (unsettled) the latest read when the wait ran out. */
  findings?: ScanFindings
  /** Enhanced findings were still changing when the wait ended. */
  findingsUnsettled?: boolean
  /** No poll got an answer: the last error, in words. */
  lastPollError?: string
  /** outcome 'failed': the ECR error that ended the wait. */
  error?: unknown
  /** Why the wait went on at its last poll, for messages ("the scan was still IN_PROGRESS"). */
  reason?: string
}

/** Counts and the first page's size of one read: two equal snapshots mean the findings settled. */
interface Snapshot {
  counts: string
  listed: number
  more: boolean
  /** ECR gave neither counts nor findings: Inspector may not have written anything yet. */
  empty: boolean
}

function snapshotOf(page: FindingsPage): Snapshot {
  const counts = page.severityCounts ?? {}
  const keys = Object.keys(counts).sort()
  return {
    counts: keys.map((key) => `${key}=${counts[key]}`).join(','),
    listed: page.findings.length,
    more: !!page.nextToken,
    empty: keys.length === 0 && page.findings.length === 0,
  }
}

function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return a.counts === b.counts && a.listed === b.listed && a.more === b.more
}

/** "3 findings", or "no findings". */
function describeSnapshot(page: FindingsPage): string {
  if (!page.severityCounts && page.findings.length === 0) return 'no findings'
  const total = totalOf(countSeverities(page.severityCounts))
  return countOf(total || page.findings.length, 'finding')
}

/** "COMPLETE (The scan was completed successfully.)", or "unknown" when ECR gave no status. */
export function statusLine(status: string | undefined, description: string | undefined): string {
  return `${status ?? 'unknown'}${description ? ` (${description})` : ''}`
}

/**
 * Polls DescribeImageScanFindings until the scan reaches a final status and, for enhanced scans,
 * until its findings settle; then reads every page of findings. Never throws for ECR's answers:
 * what ended the wait is the outcome, with the last status seen.
 */
export async function waitForScan(request: WaitRequest): Promise<ScanWait> {
  const { client, image, clock, log, signal, policy } = request
  const startedAt = clock.now()
  let seen: { status?: string; description?: string } = {}
  let answered = 0
  let lastError: string | undefined
  let previous: Snapshot | undefined
  let emptySince: number | undefined
  let latest: FindingsPage | undefined
  let settling = false
  // The last answer was "no scan exists": a wait that runs out then reports no scan.
  let missing = false
  let given = request.firstPage

  const note = (page: FindingsPage): void => {
    if (page.scanStatus === seen.status && page.scanStatusDescription === seen.description) return
    seen = { status: page.scanStatus, description: page.scanStatusDescription }
    log.info(`Scan status: ${statusLine(seen.status, seen.description)}.`)
  }

  let waited
  try {
    waited = await pollUntil<FindingsPage | 'no-scan'>({
      clock,
      signal,
      timeoutMs: request.timeoutMs,
      delayFirst: request.justStarted,
      delayMs: (attempt) => (settling ? policy.settleIntervalMs : policy.pollDelayMs(attempt)),
      poll: async (pollSignal) => {
        let page: FindingsPage | 'scan-not-found'
        try {
          page = given ?? (await describeFindingsPage(client, image, undefined, pollSignal))
          given = undefined
        } catch (error) {
          // The SDK has already retried; a throttled or failing poll is worth another one later.
          if (isTransient(error) && !pollSignal.aborted) {
            lastError = errorMessage(error)
            log.info(`Polling was interrupted (${lastError}); trying again.`)
            return { done: false, reason: `the last poll failed: ${lastError}` }
          }
          throw error
        }
        answered += 1
        missing = page === 'scan-not-found'
        if (page === 'scan-not-found') {
          if (clock.now() - startedAt < request.missingScanGraceMs) {
            return { done: false, reason: 'no scan of the image existed yet' }
          }
          return { done: true, value: 'no-scan' }
        }
        note(page)
        const statusClass = classifyStatus(page.scanStatus)
        if (statusClass === 'failed') return { done: true, value: page }
        if (statusClass !== 'complete') {
          return {
            done: false,
            reason: seen.status
              ? `the scan was still ${statusLine(seen.status, seen.description)}`
              : 'ECR answered without a scan status',
          }
        }
        if (!request.settle) return { done: true, value: page }

        latest = page
        const snapshot = snapshotOf(page)
        if (!settling) {
          settling = true
          log.info(
            `Amazon Inspector can add findings after ${page.scanStatus}, so the findings are read again every ${policy.settleIntervalMs / 1000} s until two reads agree (within wait-timeout).`,
          )
        }
        emptySince = snapshot.empty ? (emptySince ?? clock.now()) : undefined
        const agreed = previous !== undefined && sameSnapshot(previous, snapshot)
        const emptyLongEnough =
          emptySince !== undefined && clock.now() - emptySince >= policy.emptySettleMs
        if (agreed && (!snapshot.empty || emptyLongEnough)) return { done: true, value: page }
        if (previous && !agreed) log.info(`Findings still arriving: ${describeSnapshot(page)}.`)
        previous = snapshot
        return {
          done: false,
          reason: snapshot.empty
            ? "Amazon Inspector's findings had not arrived yet"
            : `Amazon Inspector's findings were still changing (${describeSnapshot(page)})`,
        }
      },
    })
  } catch (error) {
    return {
      outcome: 'failed',
      error,
      scanStatus: seen.status,
      scanStatusDescription: seen.description,
    }
  }

  const last = { scanStatus: seen.status, scanStatusDescription: seen.description }
  const lastPollError = answered === 0 ? lastError : undefined
  if (waited.outcome === 'cancelled') {
    return { outcome: 'cancelled', ...last, reason: waited.reason, lastPollError }
  }
  if (waited.outcome === 'timed-out' && missing) return { outcome: 'no-scan', ...last }
  if (waited.outcome === 'timed-out') {
    log.info(`Stopped waiting after ${request.timeoutMs / 1000} s: ${waited.reason}.`)
    // Findings that were still arriving are still findings: the verdict may fail on them.
    const findings = latest ? await readAllFindings(request, latest) : undefined
    return {
      outcome: 'timed-out',
      ...last,
      reason: waited.reason,
      lastPollError,
      findings,
      findingsUnsettled: findings ? true : undefined,
    }
  }
  const page = waited.value
  if (page === 'no-scan') return { outcome: 'no-scan', ...last }
  if (settling)
    log.info(
      `Findings settled: two reads ${policy.settleIntervalMs / 1000} s apart agree (${describeSnapshot(page)}).`,
    )
  const hasCounts = totalOf(countSeverities(page.severityCounts)) > 0
  const readable = classifyStatus(page.scanStatus) === 'complete' || hasCounts
  return {
    outcome: 'final',
    ...last,
    findings: readable ? await readAllFindings(request, page) : undefined,
  }
}

/**
 * One look at the image's scan, for wait: false: its status, or 'no-scan' when none exists.
 * Errors (after the SDK's retries) are thrown.
 */
export async function describeScanOnce(
  request: Pick<WaitRequest, 'client' | 'image' | 'signal'>,
): Promise<FindingsPage | 'no-scan'> {
  const page = await describeFindingsPage(request.client, request.image, undefined, request.signal)
  return page === 'scan-not-found' ? 'no-scan' : page
}

/** Counts come from the first page; the list is read page by page, as far as ECR allows. */
async function readAllFindings(request: WaitRequest, first: FindingsPage): Promise<ScanFindings> {
  const { client, image, signal, log, label } = request
  const rawSeverityCounts = { ...(first.severityCounts ?? {}) }
  const severityCounts = countSeverities(rawSeverityCounts)
  const list: Finding[] = [...first.findings]
  let nextToken = first.nextToken
  const seen = new Set<string>()
  for (let pages = 1; nextToken && pages < MAX_FINDINGS_PAGES && !seen.has(nextToken); pages++) {
    seen.add(nextToken)
    try {
      const token = nextToken
      const page = await describeFindingsPage(client, image, token, signal)
      if (page === 'scan-not-found') break
      list.push(...page.findings)
      nextToken = page.nextToken
    } catch (error) {
      log.warning(
        `Could not read every page of findings of ${label} (${errorMessage(error)}); the counts are complete, the list in the summary is not.`,
      )
      break
    }
  }
  return {
    rawSeverityCounts,
    severityCounts,
    list,
    unread: Math.max(0, totalOf(severityCounts) - list.length),
    imageScanCompletedAt: first.imageScanCompletedAt,
    vulnerabilitySourceUpdatedAt: first.vulnerabilitySourceUpdatedAt,
  }
}
