// compare-to: the baseline image (the one in production, say) is read, never scanned: its
// digest, its platform's manifest, and its existing scan's findings, with the same settle rules
// as the scanned image. Every failure is an outcome with a reason, never a failed step.

import type { ECRClient } from '@aws-sdk/client-ecr'
import type { Clock } from '../kernel/clock.js'
import { errorName, explainAwsError } from '../ecr/errors.js'
import { describeImage } from '../ecr/images.js'
import {
  getIndexManifests,
  isImageIndex,
  samePlatform,
  type PlatformManifest,
} from '../ecr/manifests.js'
import { ActionError, describeFailure } from '../kernel/errors.js'
import { formatImage } from '../kernel/image-ref.js'
import { labelled, type Log } from '../kernel/log.js'
import type { WaitPolicy } from '../kernel/wait-policy.js'
import type { Baseline, ImageTarget, ResolvedImage } from '../kernel/model.js'
import { statusLine, waitForScan } from './wait.js'
import type { BaselineRef } from '../inputs/settings.js'

/** The scanned image a baseline is read for: its resolved manifest, platform and region. */
export interface BaselineFor {
  image: ResolvedImage
  region: string
  /** `os/arch[/variant]` when the scanned image is one platform of an index. */
  platform?: string
  /** Settle enhanced findings as the scanned image's are. */
  settle: boolean
}

export interface BaselineDeps {
  client(region: string): ECRClient
  clock: Clock
  log: Log
  signal?: AbortSignal
  /** wait-timeout, in ms: the baseline's scan is read within it too. */
  timeoutMs: number
  /** What this step has read of its baselines: the images of a step share them. */
  cache: BaselineCache
  /** Poll and settle intervals, as for the scanned image. */
  policy: WaitPolicy
}

/**
 * Baselines read in one step: each baseline image is resolved once (DescribeImages, and
 * BatchGetImage for an index) and each of its manifests' scans read once, however many images
 * or platforms compare with it.
 */
export interface BaselineCache {
  images: Map<string, Promise<Resolved | Baseline>>
  scans: Map<string, Promise<Baseline>>
}

export function newBaselineCache(): BaselineCache {
  return { images: new Map(), scans: new Map() }
}

/** A baseline image found: its resolved manifest and, for an index, its platforms. */
interface Resolved {
  resolved: ResolvedImage
  platforms?: PlatformManifest[]
}

/** The baseline image `ref` names for `scanned`: in its repository, or the URI's. */
export function baselineTarget(
  ref: BaselineRef,
  scanned: BaselineFor,
): { target: ImageTarget; region: string } {
  if (ref.kind === 'image') return { target: ref.target, region: ref.region }
  const { registryId, repositoryName } = scanned.image
  return {
    target: { registryId, repositoryName, imageTag: ref.imageTag, imageDigest: ref.imageDigest },
    region: scanned.region,
  }
}

/**
 * Reads the baseline for one scanned image (or platform), sharing the step's reads (`cache`).
 * Sends DescribeImages, BatchGetImage for a multi-arch baseline and DescribeImageScanFindings
 * (all pages), never StartImageScan: a scan would spend the baseline's 24-hour quota. Resolves
 * to an outcome; never rejects.
 */
export async function readBaseline(
  ref: BaselineRef,
  scanned: BaselineFor,
  deps: BaselineDeps,
): Promise<Baseline> {
  const { target, region } = baselineTarget(ref, scanned)
  const label = formatImage(target)
  const imageKey = [region, target.registryId, label].join('|')
  const found = await once(deps.cache.images, imageKey, () => resolve(target, region, label, deps))
  if (!('resolved' in found)) return found
  const { resolved, platforms } = found
  const imageDigest = resolved.imageDigest
  let manifest = resolved
  if (platforms) {
    const wanted = scanned.platform ?? (platforms.length === 1 ? platforms[0]?.platform : undefined)
    if (!wanted) {
      return {
        label,
        imageDigest,
        outcome: 'unreadable',
        reason: `it is a multi-arch image (${platforms.map((p) => p.platform).join(', ')}) and the scanned image is one manifest, so no platform of it is the one to compare with`,
      }
    }
    const same = platforms.find((candidate) => samePlatform(candidate.platform, wanted))
    // A platform the baseline lacks is all new.
    if (!same) return { label, imageDigest, outcome: 'compared', findings: [] }
    manifest = {
      ...resolved,
      imageDigest: same.imageDigest,
      imageManifestMediaType: same.imageManifestMediaType,
    }
  }
  return once(deps.cache.scans, `${imageKey}|${manifest.imageDigest}`, () =>
    readScan(manifest, { label, imageDigest, region, target }, scanned.settle, deps),
  )
}

/** The value `key` has in `cache`, made by `make` the first time. */
function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key)
  if (!value) {
    value = make()
    cache.set(key, value)
  }
  return value
}

/** An error of the baseline's reads in words, for the warning. */
function explainer(target: ImageTarget, region: string, label: string) {
  return (error: unknown): string =>
    describeFailure(
      explainAwsError(error, {
        image: label,
        repositoryName: target.repositoryName,
        region,
        registryId: target.registryId,
      }),
    )
}

/** DescribeImages, and BatchGetImage for an index: the baseline found, or why not. */
async function resolve(
  target: ImageTarget,
  region: string,
  label: string,
  deps: BaselineDeps,
): Promise<Resolved | Baseline> {
  const client = deps.client(region)
  const explain = explainer(target, region, label)
  let resolved: ResolvedImage
  try {
    resolved = await describeImage(client, target, deps.signal)
  } catch (error) {
    const name = errorName(error)
    const missing =
      name === 'ImageNotFoundException' ||
      name === 'RepositoryNotFoundException' ||
      error instanceof ActionError
    return { label, outcome: missing ? 'missing' : 'unreadable', reason: explain(error) }
  }
  if (!isImageIndex(resolved.imageManifestMediaType)) return { resolved }
  try {
    return { resolved, platforms: await getIndexManifests(client, resolved, deps.signal) }
  } catch (error) {
    const imageDigest = resolved.imageDigest
    return { label, imageDigest, outcome: 'unreadable', reason: explain(error) }
  }
}

/** The existing scan of one baseline manifest: its findings (all pages, settled), or why not. */
async function readScan(
  manifest: ResolvedImage,
  baseline: { label: string; imageDigest: string; region: string; target: ImageTarget },
  settle: boolean,
  deps: BaselineDeps,
): Promise<Baseline> {
  const { label, imageDigest, region, target } = baseline
  const wait = await waitForScan({
    client: deps.client(region),
    image: manifest,
    label,
    clock: deps.clock,
    log: labelled(deps.log, `baseline ${label}`),
    signal: deps.signal,
    timeoutMs: deps.timeoutMs,
    justStarted: false,
    settle,
    missingScanGraceMs: 0,
    policy: deps.policy,
  })
  const last = statusLine(wait.scanStatus, wait.scanStatusDescription)
  switch (wait.outcome) {
    case 'final':
      return wait.findings
        ? { label, imageDigest, outcome: 'compared', findings: wait.findings.list }
        : { label, imageDigest, outcome: 'not-scanned', reason: `its scan ended ${last}` }
    case 'no-scan':
      return { label, imageDigest, outcome: 'not-scanned', reason: 'ECR has no scan of it' }
    case 'failed':
      return {
        label,
        imageDigest,
        outcome: 'unreadable',
        reason: explainer(target, region, label)(wait.error),
      }
    case 'cancelled':
      return { label, imageDigest, outcome: 'unreadable', reason: 'the job was cancelled' }
    case 'timed-out':
      return {
        label,
        imageDigest,
        outcome: 'unreadable',
        reason: `its scan could not be read within wait-timeout (last status ${last})`,
      }
  }
}
