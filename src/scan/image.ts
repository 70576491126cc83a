// One image, from its reference to its scan results: resolve it, list the platforms of an
// index, learn how the registry scans it, start the scan (or not), wait, read the findings.
// Each phase returns what it learned; `assemble` turns those facts into the image's result, so
// a step that fails early still reports everything learned before it.

import type { ECRClient } from '@aws-sdk/client-ecr'
import type { Clock } from '../kernel/clock.js'
import { explainAwsError, noScanError, type NoScanCause } from '../ecr/errors.js'
import { describeImage } from '../ecr/images.js'
import { getIndexManifests, isImageIndex, samePlatform } from '../ecr/manifests.js'
import {
  getCallerScanType,
  registryScanningOf,
  type CallerScanType,
  type RegistryScanning,
} from '../ecr/registry.js'
import { startImageScan, type StartOutcome } from '../ecr/scan.js'
import { ActionError } from '../kernel/errors.js'
import { formatImage, imageLabel } from '../kernel/image-ref.js'
import { labelled, type Log } from '../kernel/log.js'
import type { WaitPolicy } from '../kernel/wait-policy.js'
import { countOf } from '../kernel/text.js'
import type {
  Baseline,
  ResolvedImage,
  ScanFrequency,
  ScanResult,
  ScanType,
} from '../kernel/model.js'
import { newBaselineCache, readBaseline, type BaselineCache } from './baseline.js'
import { describeScanOnce, statusLine, waitForScan, type ScanWait } from './wait.js'
import { readRecentScan } from './recent-scans.js'
import type { FindingsPage } from '../ecr/findings.js'
import type { ImageRequest, ScanSettings } from '../inputs/settings.js'

/** What every image of one step shares. */
export interface ScanDeps {
  client(region: string): ECRClient
  clock: Clock
  log: Log
  /** Aborted when the job is cancelled. */
  signal?: AbortSignal
  /** GetRegistryScanningConfiguration's answer per region, asked once a step. */
  registryScanTypes: Map<string, Promise<CallerScanType>>
  /** compare-to: the baselines read so far in this step, shared by the images. */
  baselines?: BaselineCache
  /** How the step waits: poll and settle intervals, grace periods. */
  policy: WaitPolicy
}

/** The result, and the failure that stopped the scan early, if any. */
export interface ScanOutcome {
  result: ScanResult
  error?: unknown
}

/** The image as requested, before anything is learned. */
type Requested = Pick<ScanResult, 'target' | 'region'> &
  Partial<Pick<ScanResult, 'platform' | 'indexDigest'>>

function resultOf(requested: Requested, image?: ResolvedImage): ScanResult {
  return {
    ...requested,
    image,
    scanStarted: false,
    timedOut: false,
  }
}

/**
 * Scans one requested image: one outcome, or one per platform when the image is an index
 * (multi-arch, or a BuildKit build with an attestation), which ECR cannot scan as a whole.
 */
export async function scanImage(
  request: ImageRequest,
  settings: ScanSettings,
  deps: ScanDeps,
): Promise<ScanOutcome[]> {
  const requested: Requested = { target: request.target, region: request.region }
  const client = deps.client(request.region)
  if (settings.scanType === 'auto') void callerScanType(request.region, deps)
  let image: ResolvedImage
  try {
    image = request.resolved ?? (await describeImage(client, request.target, deps.signal))
  } catch (error) {
    return [{ result: resultOf(requested), error: explain(error, resultOf(requested)) }]
  }
  if (!request.resolved)
    deps.log.info(`Image ${formatImage(request.target)} is ${image.imageDigest}.`)
  if (!isImageIndex(image.imageManifestMediaType)) {
    return [await scanManifest(requested, image, settings, deps)]
  }
  let platforms
  try {
    platforms = await selectPlatforms(client, image, settings, deps)
  } catch (error) {
    return [
      { result: resultOf(requested, image), error: explain(error, resultOf(requested, image)) },
    ]
  }
  return Promise.all(
    platforms.map((manifest) =>
      scanManifest(
        { ...requested, platform: manifest.platform, indexDigest: image.imageDigest },
        {
          ...image,
          imageDigest: manifest.imageDigest,
          imageManifestMediaType: manifest.imageManifestMediaType,
        },
        settings,
        { ...deps, log: labelled(deps.log, manifest.platform) },
      ),
    ),
  )
}

async function selectPlatforms(
  client: ECRClient,
  image: ResolvedImage,
  settings: ScanSettings,
  deps: ScanDeps,
) {
  const all = await getIndexManifests(client, image, deps.signal)
  const chosen = settings.platforms
    ? all.filter((manifest) =>
        settings.platforms?.some((wanted) => samePlatform(wanted, manifest.platform)),
      )
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

/** How the registry scans this image, as far as the action could learn before starting. */
interface Scanning {
  scanType?: ScanType
  scanFrequency?: ScanFrequency
  /** The image is in another account's registry (the caller's is this one). */
  otherRegistry?: boolean
  notCovered?: { filters: string[] }
}

/** The facts of one single-platform manifest's scan, phase by phase. */
interface Facts {
  scanning: Scanning
  start?: StartOutcome
  /** wait: false: one look at the existing scan. */
  look?: { scanStatus?: string; scanStatusDescription?: string } | 'no-scan'
  wait?: ScanWait
  /** compare-to: the baseline as read. */
  baseline?: Baseline
  /** reuseRecentScans: the scan of the last 24 hours reported instead of starting one. */
  recent?: FindingsPage
}

/** The scan of one resolved single-platform manifest, from its facts. */
async function scanManifest(
  requested: Requested,
  image: ResolvedImage,
  settings: ScanSettings,
  deps: ScanDeps,
): Promise<ScanOutcome> {
  const facts: Facts = { scanning: {} }
  try {
    facts.scanning = await learnScanning(requested, image, settings, deps)
    if (facts.scanning.notCovered) {
      return assemble(
        requested,
        image,
        facts,
        noScanError(imageLabel(requested), {
          kind: 'not-covered',
          registryId: image.registryId,
          filters: facts.scanning.notCovered.filters,
        }),
      )
    }
    const client = deps.client(requested.region)
    facts.recent = await recentScan(client, image, facts.scanning, settings, deps)
    if (!facts.recent) {
      facts.start = await start(
        client,
        image,
        imageLabel(requested),
        facts.scanning,
        settings,
        deps,
      )
    }
    // The verdict fails on the quota: reading the old scan would change nothing.
    if (facts.start?.kind === 'limit-exceeded' && settings.onLimitExceeded === 'fail') {
      return assemble(requested, image, facts)
    }
    if (!settings.wait) {
      facts.look =
        facts.start?.kind === 'started'
          ? undefined
          : facts.recent
            ? {
                scanStatus: facts.recent.scanStatus,
                scanStatusDescription: facts.recent.scanStatusDescription,
              }
            : await lookOnce(client, image, deps)
      deps.log.info('wait is false: not waiting for the scan to finish.')
    } else {
      Object.assign(facts, await waitAndCompare(client, requested, image, facts, settings, deps))
    }
  } catch (error) {
    return assemble(requested, image, facts, error)
  }
  return assemble(requested, image, facts)
}

/**
 * The wait for this image's scan (and, with compare-to, the baseline's reads, made while the
 * scan runs: they cost their requests, not their time).
 */
async function waitAndCompare(
  client: ECRClient,
  requested: Requested,
  image: ResolvedImage,
  facts: Facts,
  settings: ScanSettings,
  deps: ScanDeps,
): Promise<Pick<Facts, 'wait' | 'baseline'>> {
  const scanType = scanTypeOf(facts)
  const timeoutMs = settings.waitTimeoutSeconds * 1000
  const reading = settings.compareTo
    ? readBaseline(
        settings.compareTo,
        {
          image,
          region: requested.region,
          platform: requested.platform,
          settle: scanType === 'ENHANCED',
        },
        { ...deps, timeoutMs, cache: deps.baselines ?? newBaselineCache() },
      )
    : undefined
  const wait = await waitForScan({
    client,
    image,
    label: imageLabel(requested),
    clock: deps.clock,
    log: deps.log,
    signal: deps.signal,
    timeoutMs,
    justStarted: facts.start?.kind === 'started',
    settle: scanType === 'ENHANCED',
    // Nobody will make a scan when the start was denied: no point waiting for one.
    missingScanGraceMs:
      facts.start?.kind === 'denied' ? 0 : Math.min(deps.policy.missingScanGraceMs, timeoutMs),
    policy: deps.policy,
    firstPage: facts.recent,
  })
  const baseline = await reading
  if (baseline) deps.log.info(baselineLine(baseline))
  return { wait, baseline }
}

async function learnScanning(
  requested: Requested,
  image: ResolvedImage,
  settings: ScanSettings,
  deps: ScanDeps,
): Promise<Scanning> {
  if (settings.scanType !== 'auto') return { scanType: settings.scanType }
  const answer: RegistryScanning = registryScanningOf(
    await callerScanType(requested.region, deps),
    image.registryId,
    image.repositoryName,
  )
  if ('unknown' in answer) {
    deps.log.notice(
      answer.unknown === 'denied'
        ? 'GetRegistryScanningConfiguration was denied, so the scan type is learned from StartImageScan. Set scan-type: basic or enhanced to skip that call.'
        : `Registry ${image.registryId} is not the caller's (${answer.callerRegistryId}), so its scan type is learned from StartImageScan. Set scan-type: basic or enhanced to say it.`,
    )
    return { otherRegistry: answer.unknown === 'other-registry' }
  }
  return answer
}

/** StartImageScan, except on enhanced registries, which take no manual scans. */
async function start(
  client: ECRClient,
  image: ResolvedImage,
  label: string,
  scanning: Scanning,
  settings: ScanSettings,
  deps: ScanDeps,
): Promise<StartOutcome | undefined> {
  const { log } = deps
  if (scanning.scanType === 'ENHANCED') {
    log.info(
      `The registry uses enhanced scanning (Amazon Inspector${frequencyWords(scanning.scanFrequency)}): reporting its findings; ECR takes no manual scans there.`,
    )
    return undefined
  }
  const outcome = await startImageScan(client, image, scanning.scanType !== undefined, deps.signal)
  if (outcome.kind === 'started') log.info(`Scan started: ${outcome.scanStatus}.`)
  if (outcome.kind === 'enhanced-registry') {
    log.notice(
      `StartImageScan answered '${outcome.message}': the registry uses enhanced scanning (Amazon Inspector). Reporting Inspector's findings instead.`,
    )
  }
  if (outcome.kind === 'limit-exceeded') log.info(`StartImageScan answered: ${outcome.message}`)
  if (outcome.kind === 'denied') {
    log.warning(
      `This role may not call ecr:StartImageScan (${outcome.message}), so no scan was started: reporting the image's existing scan (from scan on push). Allow ecr:StartImageScan to let the action scan.`,
    )
  }
  return outcome
}

async function lookOnce(
  client: ECRClient,
  image: ResolvedImage,
  deps: ScanDeps,
): Promise<Facts['look']> {
  const page = await describeScanOnce({ client, image, signal: deps.signal })
  if (page === 'no-scan') return page
  deps.log.info(`Scan status: ${statusLine(page.scanStatus, page.scanStatusDescription)}.`)
  return { scanStatus: page.scanStatus, scanStatusDescription: page.scanStatusDescription }
}

function scanTypeOf(facts: Facts): ScanType | undefined {
  switch (facts.start?.kind) {
    case 'started':
    case 'limit-exceeded':
      return 'BASIC'
    case 'enhanced-registry':
      return 'ENHANCED'
    default:
      return facts.scanning.scanType
  }
}

/**
 * The image's result from what each phase learned, and the failure that ends it, if any: the
 * one place that decides what the facts mean for the step.
 */
function assemble(
  requested: Requested,
  image: ResolvedImage,
  facts: Facts,
  thrown?: unknown,
): ScanOutcome {
  const { start, wait, look } = facts
  const scanType = scanTypeOf(facts)
  const result: ScanResult = {
    ...resultOf(requested, image),
    scanType,
    scanFrequency: facts.scanning.scanFrequency,
    scanStarted: start?.kind === 'started',
    limitExceeded: quotaAnswer(start),
    baseline: facts.baseline,
    ...(facts.recent ? { recentScanReused: true } : {}),
  }
  const status =
    wait?.scanStatus !== undefined
      ? { scanStatus: wait.scanStatus, scanStatusDescription: wait.scanStatusDescription }
      : look && look !== 'no-scan'
        ? look
        : start?.kind === 'started'
          ? { scanStatus: start.scanStatus, scanStatusDescription: start.scanStatusDescription }
          : {}
  Object.assign(result, status)
  if (wait) {
    result.findings = wait.findings
    result.timedOut = wait.outcome === 'timed-out'
    result.lastPollError = wait.lastPollError
    result.findingsUnsettled = wait.findingsUnsettled
  }
  const label = imageLabel(result)
  const failure = (error: unknown): ScanOutcome => ({ result, error: explain(error, result) })

  if (thrown !== undefined) return failure(thrown)
  if (wait?.outcome === 'failed') return failure(wait.error)
  if (wait?.outcome === 'cancelled') {
    const last = result.scanStatus
      ? `its last status was ${statusLine(result.scanStatus, result.scanStatusDescription)}`
      : (wait.reason ?? 'no status was known yet')
    return failure(
      new ActionError(`The job was cancelled while waiting for the scan of ${label} (${last}).`),
    )
  }
  if (wait?.outcome === 'no-scan' || look === 'no-scan') {
    return failure(noScanError(label, noScanCause(facts, image, look === 'no-scan')))
  }
  return { result }
}

/** What StartImageScan's answer says of the 24-hour quota; undefined when it says nothing. */
function quotaAnswer(start: StartOutcome | undefined): boolean | undefined {
  if (start?.kind === 'limit-exceeded') return true
  return start?.kind === 'started' ? false : undefined
}

function noScanCause(facts: Facts, image: ResolvedImage, notWaiting: boolean): NoScanCause {
  if (facts.start?.kind === 'denied') return { kind: 'start-denied' }
  if (facts.scanning.otherRegistry && scanTypeOf(facts) === 'ENHANCED') {
    return { kind: 'other-registry', registryId: image.registryId }
  }
  if (notWaiting) return { kind: 'not-waiting' }
  return 'unknown'
}

/**
 * With reuseRecentScans (a pattern step), the image's scan of the last 24 hours, said in the
 * log; undefined otherwise, and always under enhanced scanning, which starts no scans.
 */
async function recentScan(
  client: ECRClient,
  image: ResolvedImage,
  scanning: Scanning,
  settings: ScanSettings,
  deps: ScanDeps,
): Promise<FindingsPage | undefined> {
  if (!settings.reuseRecentScans || scanning.scanType === 'ENHANCED') return undefined
  const page = await readRecentScan(client, image, deps.clock.now(), deps.signal)
  if (page) {
    const at = page.imageScanCompletedAt?.toISOString() ?? 'an unknown time'
    deps.log.info(
      `Scanned at ${at}, less than 24 hours ago: reporting that scan instead of starting another (ECR allows one basic scan per image per 24 hours).`,
    )
  }
  return page
}

function frequencyWords(frequency: ScanFrequency | undefined): string {
  if (frequency === 'CONTINUOUS_SCAN') return ', continuous scanning'
  if (frequency === 'SCAN_ON_PUSH') return ', scan on push'
  return ''
}

/**
 * The caller's registry scan type in `region`, asked once a step. Asked while DescribeImages
 * runs, so it costs no extra round trip; a failure surfaces where the answer is used.
 */
function callerScanType(region: string, deps: ScanDeps): Promise<CallerScanType> {
  let answer = deps.registryScanTypes.get(region)
  if (!answer) {
    const client = deps.client(region)
    answer = getCallerScanType(client, deps.signal)
    // Handled where it is awaited; an image that fails first must not leave it unhandled.
    answer.catch(() => undefined)
    deps.registryScanTypes.set(region, answer)
  }
  return answer
}

function explain(error: unknown, result: ScanResult): ActionError {
  return explainAwsError(error, {
    image: imageLabel(result),
    repositoryName: result.target.repositoryName,
    region: result.region,
    registryId: result.image?.registryId || result.target.registryId,
  })
}

/** What the log says of the baseline once it is read. */
function baselineLine(baseline: Baseline): string {
  const digest = baseline.imageDigest ? ` (${baseline.imageDigest})` : ''
  if (baseline.outcome === 'compared') {
    return `Baseline ${baseline.label}${digest}: ${countOf(baseline.findings?.length ?? 0, 'finding')} to compare with.`
  }
  // A reason explained from an AWS error is whole sentences, and ends with its own period.
  const reason = (baseline.reason ?? baseline.outcome).replace(/\.$/, '')
  return `Baseline ${baseline.label}${digest} is not compared: ${reason}.`
}
