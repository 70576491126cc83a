// One image, from its reference to its scan results: resolve it, list the platforms of an
// index, decide the scan type, start the scan (or not), wait, read the findings. AWS is reached
// only through src/ecr; what a run learned is kept in the result even when a step fails, so the
// outputs can still be written.

import type { ECRClient } from '@aws-sdk/client-ecr'
import type { Clock } from './clock.js'
import { explainAwsError, isThrottling, isTransient } from './ecr/errors.js'
import { describeFindingsPage, type FindingsPage } from './ecr/findings.js'
import { describeImage } from './ecr/images.js'
import { getIndexManifests, isImageIndex } from './ecr/manifests.js'
import { getCallerScanType, scanTypeOf, type CallerScanType } from './ecr/registry.js'
import { startImageScan } from './ecr/scan.js'
import { ActionError, errorMessage } from './errors.js'
import { formatImage, imageLabel } from './image-ref.js'
import {
  classifyStatus,
  countSeverities,
  totalOf,
  type Finding,
  type ResolvedImage,
  type ScanResult,
} from './model.js'
import type { ImageRequest, Settings } from './settings.js'
import { pollUntil } from './wait.js'

/** Where the action's messages go; main connects it to the runner. */
export interface Log {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
}

/** The same log, each line starting with `[label] `: images scanned at once interleave. */
export function labelled(log: Log, label: string): Log {
  const prefix = (message: string): string => `[${label}] ${message}`
  return {
    info: (message) => log.info(prefix(message)),
    notice: (message) => log.notice(prefix(message)),
    warning: (message) => log.warning(prefix(message)),
    debug: (message) => log.debug(prefix(message)),
  }
}

/** What every image of one step shares. */
export interface ScanDeps {
  client(region: string): ECRClient
  clock: Clock
  log: Log
  /** Aborted when the job is cancelled. */
  signal?: AbortSignal
  /** GetRegistryScanningConfiguration's answer per region, asked once a step. */
  registryScanTypes: Map<string, Promise<CallerScanType>>
}

/** The result so far, and the failure that stopped it early, if any. */
export interface ScanOutcome {
  result: ScanResult
  error?: unknown
}

/** Throttling that outlasts the SDK's retries is waited out this many more times. */
const THROTTLED_CALL_ATTEMPTS = 4

/**
 * Calls ECR again when throttling outlasted the SDK's retries: by then the step's rate limiter
 * has slowed down, and one busy moment must not fail an image.
 */
async function patiently<T>(deps: ScanDeps, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      const giveUp =
        !isThrottling(error) || attempt >= THROTTLED_CALL_ATTEMPTS || deps.signal?.aborted
      if (giveUp) throw error
      await deps.clock.sleep(1000 * attempt, deps.signal)
    }
  }
}

/** ScanNotFound right after a start, or on an enhanced registry, is worth waiting this long. */
const MISSING_SCAN_GRACE_MS = 30_000
/** Guards against a nextToken that never ends. */
const MAX_FINDINGS_PAGES = 2000

function newResult(request: ImageRequest): ScanResult {
  return {
    target: request.target,
    region: request.region,
    scanStarted: false,
    limitExceeded: false,
    timedOut: false,
    cancelled: false,
  }
}

/**
 * Scans one requested image: one outcome, or one per platform when the image is an index
 * (multi-arch, or a BuildKit build with an attestation), which ECR cannot scan as a whole.
 */
export async function scanImage(
  request: ImageRequest,
  settings: Settings,
  deps: ScanDeps,
): Promise<ScanOutcome[]> {
  const result = newResult(request)
  const client = deps.client(request.region)
  if (settings.scanType === 'auto') void callerScanType(request.region, deps)
  try {
    const image = await patiently(deps, () => describeImage(client, request.target, deps.signal))
    result.image = image
    deps.log.info(`Image ${formatImage(request.target)} is ${image.imageDigest}.`)
    if (!isImageIndex(image.imageManifestMediaType)) {
      await scanResolved(result, settings, deps)
      return [{ result }]
    }
    const platforms = await selectPlatforms(client, image, settings, deps)
    return await Promise.all(
      platforms.map(async (manifest) => {
        const child: ScanResult = {
          ...newResult(request),
          image: {
            ...image,
            imageDigest: manifest.imageDigest,
            imageManifestMediaType: manifest.imageManifestMediaType,
          },
          platform: manifest.platform,
          indexDigest: image.imageDigest,
        }
        try {
          await scanResolved(child, settings, {
            ...deps,
            log: labelled(deps.log, manifest.platform),
          })
          return { result: child }
        } catch (error) {
          return { result: child, error: explain(error, child) }
        }
      }),
    )
  } catch (error) {
    return [{ result, error: explain(error, result) }]
  }
}

async function selectPlatforms(
  client: ECRClient,
  image: ResolvedImage,
  settings: Settings,
  deps: ScanDeps,
) {
  const all = await patiently(deps, () => getIndexManifests(client, image, deps.signal))
  const chosen = settings.platforms
    ? all.filter((manifest) => settings.platforms?.includes(manifest.platform))
    : all
  const found = all.map((manifest) => manifest.platform).join(', ') || 'none'
  if (chosen.length === 0) {
    throw new ActionError(
      `The image index ${image.imageDigest} has no platform that 'platforms' asks for (it has: ${found}).`,
      "Set 'platforms' to some of them, or to all.",
    )
  }
  deps.log.info(
    `Image index with platforms ${found}: scanning ${chosen.map((manifest) => manifest.platform).join(', ')}.`,
  )
  return chosen
}

/** The scan of one resolved image (a single-platform manifest), recorded in `result`. */
async function scanResolved(result: ScanResult, settings: Settings, deps: ScanDeps): Promise<void> {
  const { log, signal } = deps
  const client = deps.client(result.region)
  const image = requireImage(result)
  let scanTypeKnown = settings.scanType !== 'auto'
  result.scanType = settings.scanType === 'auto' ? undefined : settings.scanType
  if (settings.scanType === 'auto') {
    const answer = scanTypeOf(await callerScanType(result.region, deps), image.registryId)
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
    const start = await patiently(deps, () => startImageScan(client, image, scanTypeKnown, signal))
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
      reportLimitExceeded(start.message, result, settings, log)
    }
  }

  if (!settings.wait) {
    // The start's answer is the news; otherwise say once what the existing scan is.
    if (!result.scanStarted) applyStatus(result, await describeOnce(deps, result))
    log.info('wait is false: not waiting for the scan to finish.')
    return
  }
  await waitAndRead(result, settings, deps)
}

/**
 * The caller's registry scan type in `region`, asked once a step. Asked while DescribeImages
 * runs, so it costs no extra round trip; a failure surfaces where the answer is used.
 */
function callerScanType(region: string, deps: ScanDeps): Promise<CallerScanType> {
  let answer = deps.registryScanTypes.get(region)
  if (!answer) {
    const client = deps.client(region)
    answer = patiently(deps, () => getCallerScanType(client, deps.signal))
    // Handled where it is awaited; an image that fails first must not leave it unhandled.
    answer.catch(() => undefined)
    deps.registryScanTypes.set(region, answer)
  }
  return answer
}

function reportLimitExceeded(
  message: string,
  result: ScanResult,
  settings: Settings,
  log: Log,
): void {
  const text = `ECR's scan quota for ${imageLabel(result)} is used up (one scan per image per 24 hours): ${message}`
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
  const client = deps.client(result.region)
  const page = await patiently(deps, () =>
    describeFindingsPage(client, requireImage(result), undefined, deps.signal),
  )
  return page === 'scan-not-found' ? undefined : page
}

function applyStatus(result: ScanResult, page: FindingsPage | undefined): void {
  result.scanStatus = page?.scanStatus
  result.scanStatusDescription = page?.scanStatusDescription
}

async function waitAndRead(result: ScanResult, settings: Settings, deps: ScanDeps): Promise<void> {
  const { clock, log, signal } = deps
  const client = deps.client(result.region)
  const image = requireImage(result)
  // Each image waits up to wait-timeout from its own start: with many images, the last ones
  // start late, and their scans deserve the same time.
  const startedAt = clock.now()
  const timeoutMs = settings.waitTimeoutSeconds * 1000
  const graceMs = Math.min(MISSING_SCAN_GRACE_MS, timeoutMs)
  let lastStatus = result.scanStatus
  const waited = await pollUntil<FindingsPage>({
    clock,
    signal,
    timeoutMs,
    // Polling a scan this run started a moment ago only spends a request on IN_PROGRESS.
    delayFirst: result.scanStarted,
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
        throw explain(
          { name: 'ScanNotFoundException', message: 'ECR has no scan of this image.' },
          result,
        )
      }
      const statusClass = classifyStatus(page.scanStatus)
      if (statusClass === 'complete' || statusClass === 'failed') return { done: true, value: page }
      if (page.scanStatus !== lastStatus) {
        lastStatus = page.scanStatus
        log.info(`Scan status: ${statusLine(page)}.`)
      }
      return { done: false, reason: `the scan was still ${page.scanStatus ?? 'without a status'}` }
    },
  })

  if (waited.outcome === 'cancelled') {
    result.cancelled = true
    throw new ActionError(
      `The job was cancelled while waiting for the scan of ${imageLabel(result)} (${waited.reason}).`,
    )
  }
  if (waited.outcome === 'timed-out') {
    result.timedOut = true
    log.info(`Stopped waiting after ${settings.waitTimeoutSeconds} s: ${waited.reason}.`)
    return
  }
  const first = waited.value
  applyStatus(result, first)
  log.info(`Scan status: ${statusLine(first)}.`)
  if (classifyStatus(first.scanStatus) === 'complete' || first.severityCounts) {
    await readFindings(result, first, deps)
  }
}

function statusLine(page: FindingsPage): string {
  const description = page.scanStatusDescription ? ` (${page.scanStatusDescription})` : ''
  return `${page.scanStatus ?? 'none'}${description}`
}

/** Counts come from the first page; the list is read page by page, as far as ECR allows. */
async function readFindings(
  result: ScanResult,
  first: FindingsPage,
  deps: ScanDeps,
): Promise<void> {
  const client = deps.client(result.region)
  const rawSeverityCounts = { ...(first.severityCounts ?? {}) }
  const severityCounts = countSeverities(rawSeverityCounts)
  const list: Finding[] = [...first.findings]
  let nextToken = first.nextToken
  const seen = new Set<string>()
  for (let pages = 1; nextToken && pages < MAX_FINDINGS_PAGES && !seen.has(nextToken); pages++) {
    seen.add(nextToken)
    try {
      const token = nextToken
      const page = await patiently(deps, () =>
        describeFindingsPage(client, requireImage(result), token, deps.signal),
      )
      if (page === 'scan-not-found') break
      list.push(...page.findings)
      nextToken = page.nextToken
    } catch (error) {
      deps.log.warning(
        `Could not read every page of findings of ${imageLabel(result)} (${errorMessage(error)}); the counts are complete, the list in the summary is not.`,
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

function requireImage(result: ScanResult): ResolvedImage {
  if (!result.image) throw new Error('the image is not resolved yet')
  return result.image
}

function explain(error: unknown, result: ScanResult): ActionError {
  return explainAwsError(error, {
    image: imageLabel(result),
    repositoryName: result.target.repositoryName,
    region: result.region,
  })
}
