// One image, from its reference to its scan result: resolve, decide the scan type, start the
// scan (or not), wait, read the findings. AWS is reached only through src/ecr; what this run
// learned is kept in the result even when a step fails, so the outputs can still be written.

import type { ECRClient } from '@aws-sdk/client-ecr'
import type { Clock } from './clock.js'
import { describeFindingsPage, type FindingsPage } from './ecr/findings.js'
import { describeImage } from './ecr/images.js'
import { explainAwsError, indexError, isImageIndex, isTransient } from './ecr/errors.js'
import { getRegistryScanType } from './ecr/registry.js'
import { startImageScan } from './ecr/scan.js'
import { ActionError, errorMessage } from './errors.js'
import { formatImage } from './image-ref.js'
import {
  classifyStatus,
  countSeverities,
  totalOf,
  type Finding,
  type ImageTarget,
  type ScanResult,
} from './model.js'
import type { Settings } from './settings.js'
import { pollUntil } from './wait.js'

/** Where the action's messages go; main connects it to the runner. */
export interface Log {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
}

export interface ScanDeps {
  client: ECRClient
  clock: Clock
  log: Log
  /** Aborted when the job is cancelled. */
  signal?: AbortSignal
}

/** The result so far, and the failure that stopped the run early, if any. */
export interface ScanOutcome {
  result: ScanResult
  error?: unknown
}

/** ScanNotFound right after a start, or on an enhanced registry, is worth waiting this long. */
const MISSING_SCAN_GRACE_MS = 30_000
/** Guards against a nextToken that never ends. */
const MAX_FINDINGS_PAGES = 2000

export function newResult(target: ImageTarget, settings: Settings): ScanResult {
  return {
    target,
    region: settings.region,
    scanStarted: false,
    limitExceeded: false,
    timedOut: false,
    cancelled: false,
  }
}

export async function scanImage(
  target: ImageTarget,
  settings: Settings,
  deps: ScanDeps,
): Promise<ScanOutcome> {
  const result = newResult(target, settings)
  let operation = 'DescribeImages'
  try {
    const { client, log, signal } = deps
    const image = await describeImage(client, target, signal)
    result.image = image
    log.info(`Image ${formatImage(target)} is ${image.imageDigest}.`)
    if (isImageIndex(image.imageManifestMediaType)) throw indexError(formatImage(target))

    operation = 'GetRegistryScanningConfiguration'
    let scanTypeKnown = settings.scanType !== 'auto'
    result.scanType = settings.scanType === 'auto' ? undefined : settings.scanType
    if (settings.scanType === 'auto') {
      const answer = await getRegistryScanType(client, image.registryId, signal)
      if ('scanType' in answer) {
        result.scanType = answer.scanType
        scanTypeKnown = true
      } else {
        log.notice(
          answer.unknown === 'denied'
            ? 'GetRegistryScanningConfiguration was denied, so the scan type is learned from StartImageScan. Set scan-type: basic or enhanced to skip that call.'
            : `Registry ${image.registryId} is not the caller's (${answer.callerRegistryId}), so its scan type is learned from StartImageScan. Set scan-type: basic or enhanced to say it.`,
        )
      }
    }

    if (result.scanType === 'ENHANCED') {
      log.info(
        'The registry uses enhanced scanning (Amazon Inspector): reporting its findings; ECR takes no manual scans there.',
      )
    } else {
      operation = 'StartImageScan'
      const start = await startImageScan(client, image, scanTypeKnown, signal)
      if (start.kind === 'started') {
        result.scanType = 'BASIC'
        result.scanStarted = true
        result.scanStatus = start.scanStatus
        result.scanStatusDescription = start.scanStatusDescription
        log.info(`Scan started: ${start.scanStatus}.`)
      } else if (start.kind === 'enhanced-registry') {
        result.scanType = 'ENHANCED'
        log.notice(
          `StartImageScan answered '${start.message}': the registry uses enhanced scanning (Amazon Inspector). Reporting Inspector's findings instead.`,
        )
      } else {
        result.scanType = 'BASIC'
        result.limitExceeded = true
        reportLimitExceeded(start.message, target, settings, log)
      }
    }

    operation = 'DescribeImageScanFindings'
    if (!settings.wait) {
      // The start's answer is the news; otherwise say once what the existing scan is.
      if (!result.scanStarted) applyStatus(result, await describeOnce(deps, result))
      log.info('wait is false: not waiting for the scan to finish.')
      return { result }
    }
    await waitAndRead(result, settings, deps)
    return { result }
  } catch (error) {
    return { result, error: explainAwsError(error, errorContext(operation, target, settings)) }
  }
}

function reportLimitExceeded(
  message: string,
  target: ImageTarget,
  settings: Settings,
  log: Log,
): void {
  const text = `ECR's scan quota for ${formatImage(target)} is used up (one scan per image per 24 hours): ${message}`
  if (settings.onLimitExceeded === 'fail') {
    throw new ActionError(
      text,
      "Set on-limit-exceeded: warn (or ignore) to report the image's existing scan instead.",
    )
  }
  const next = 'Reporting the existing scan.'
  if (settings.onLimitExceeded === 'warn') log.warning(`${text} ${next}`)
  else log.info(`${text} ${next}`)
}

async function describeOnce(deps: ScanDeps, result: ScanResult): Promise<FindingsPage | undefined> {
  const page = await describeFindingsPage(deps.client, requireImage(result), undefined, deps.signal)
  return page === 'scan-not-found' ? undefined : page
}

function applyStatus(result: ScanResult, page: FindingsPage | undefined): void {
  result.scanStatus = page?.scanStatus
  result.scanStatusDescription = page?.scanStatusDescription
}

async function waitAndRead(result: ScanResult, settings: Settings, deps: ScanDeps): Promise<void> {
  const { client, clock, log, signal } = deps
  const image = requireImage(result)
  const startedAt = clock.now()
  const graceMs = Math.min(MISSING_SCAN_GRACE_MS, settings.waitTimeoutSeconds * 1000)
  let lastStatus = result.scanStatus
  const waited = await pollUntil<FindingsPage>({
    clock,
    signal,
    timeoutMs: settings.waitTimeoutSeconds * 1000,
    poll: async (pollSignal) => {
      let page: FindingsPage | 'scan-not-found'
      try {
        page = await describeFindingsPage(client, image, undefined, pollSignal)
      } catch (error) {
        // The SDK has already retried; a throttled or failing poll is worth another one later.
        if (isTransient(error) && !pollSignal.aborted) {
          log.info(`Polling was interrupted (${errorMessage(error)}); trying again.`)
          return { done: false, reason: `the last poll failed: ${errorMessage(error)}` }
        }
        throw error
      }
      if (page === 'scan-not-found') {
        if (clock.now() - startedAt < graceMs) return { done: false, reason: 'no scan found yet' }
        throw explainAwsError(
          { name: 'ScanNotFoundException', message: 'ECR has no scan of this image.' },
          {
            ...errorContext('DescribeImageScanFindings', result.target, settings),
          },
        )
      }
      const statusClass = classifyStatus(page.scanStatus)
      if (statusClass === 'complete' || statusClass === 'failed') return { done: true, value: page }
      if (page.scanStatus !== lastStatus) {
        lastStatus = page.scanStatus
        log.info(
          `Scan status: ${page.scanStatus ?? 'none'}${page.scanStatusDescription ? ` (${page.scanStatusDescription})` : ''}.`,
        )
      }
      return { done: false, reason: `the scan was still ${page.scanStatus ?? 'without a status'}` }
    },
  })

  if (waited.outcome === 'cancelled') {
    result.cancelled = true
    throw new ActionError(
      `The job was cancelled while waiting for the scan of ${formatImage(result.target)} (${waited.reason}).`,
    )
  }
  if (waited.outcome === 'timed-out') {
    result.timedOut = true
    log.info(`Stopped waiting after ${settings.waitTimeoutSeconds} s: ${waited.reason}.`)
    return
  }
  const first = waited.value
  applyStatus(result, first)
  log.info(
    `Scan status: ${first.scanStatus}${first.scanStatusDescription ? ` (${first.scanStatusDescription})` : ''}.`,
  )
  if (classifyStatus(first.scanStatus) === 'complete' || first.severityCounts) {
    await readFindings(result, first, deps)
  }
}

/** Counts come from the first page; the list is read page by page, as far as ECR allows. */
async function readFindings(
  result: ScanResult,
  first: FindingsPage,
  deps: ScanDeps,
): Promise<void> {
  const rawSeverityCounts = { ...(first.severityCounts ?? {}) }
  const severityCounts = countSeverities(rawSeverityCounts)
  const list: Finding[] = [...first.findings]
  let nextToken = first.nextToken
  const seen = new Set<string>()
  for (let pages = 1; nextToken && pages < MAX_FINDINGS_PAGES && !seen.has(nextToken); pages++) {
    seen.add(nextToken)
    try {
      const page = await describeFindingsPage(
        deps.client,
        requireImage(result),
        nextToken,
        deps.signal,
      )
      if (page === 'scan-not-found') break
      list.push(...page.findings)
      nextToken = page.nextToken
    } catch (error) {
      deps.log.warning(
        `Could not read every page of findings (${errorMessage(error)}); the counts are complete, the list in the summary is not.`,
      )
      break
    }
  }
  result.findings = {
    rawSeverityCounts,
    severityCounts,
    list,
    unread: Math.max(0, totalOf(severityCounts) - list.length),
    imageScanCompletedAt: first.imageScanCompletedAt,
    vulnerabilitySourceUpdatedAt: first.vulnerabilitySourceUpdatedAt,
  }
}

function requireImage(result: ScanResult) {
  if (!result.image) throw new Error('the image is not resolved yet')
  return result.image
}

function errorContext(operation: string, target: ImageTarget, settings: Settings) {
  return {
    operation,
    image: formatImage(target),
    repositoryName: target.repositoryName,
    region: settings.region,
  }
}
