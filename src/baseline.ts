// compare-to: the baseline image (the one in production, say) is read, never scanned: its
// digest, its platform's manifest, and its existing scan's findings, with the same settle rules
// as the scanned image. Every failure is an outcome with a reason, never a failed step.

import type { ECRClient } from '@aws-sdk/client-ecr'
import type { Clock } from './clock.js'
import { errorName, explainAwsError } from './ecr/errors.js'
import { describeImage } from './ecr/images.js'
import { getIndexManifests, isImageIndex } from './ecr/manifests.js'
import { ActionError, describeFailure } from './errors.js'
import { formatImage } from './image-ref.js'
import { labelled, type Log } from './log.js'
import type { Baseline, ImageTarget, ResolvedImage } from './model.js'
import { statusLine, waitForScan } from './scan-wait.js'
import type { BaselineRef } from './settings.js'

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
  /** Baselines read so far in this step: images of one repository share theirs. */
  cache: Map<string, Promise<Baseline>>
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
 * Reads the baseline for one scanned image (or platform), once a step for each baseline and
 * platform. Sends DescribeImages, BatchGetImage for a multi-arch baseline and
 * DescribeImageScanFindings (all pages), never StartImageScan: a scan would spend the
 * baseline's 24-hour quota. Resolves to an outcome; never rejects.
 */
export function readBaseline(
  ref: BaselineRef,
  scanned: BaselineFor,
  deps: BaselineDeps,
): Promise<Baseline> {
  const { target, region } = baselineTarget(ref, scanned)
  const key = [region, target.registryId, formatImage(target), scanned.platform ?? ''].join('|')
  let baseline = deps.cache.get(key)
  if (!baseline) {
    baseline = read(target, region, scanned, deps)
    deps.cache.set(key, baseline)
  }
  return baseline
}

async function read(
  target: ImageTarget,
  region: string,
  scanned: BaselineFor,
  deps: BaselineDeps,
): Promise<Baseline> {
  const label = formatImage(target)
  const client = deps.client(region)
  const log = labelled(deps.log, `baseline ${label}`)
  const explain = (error: unknown): string =>
    describeFailure(
      explainAwsError(error, {
        image: label,
        repositoryName: target.repositoryName,
        region,
        registryId: target.registryId,
      }),
    )
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
  const imageDigest = resolved.imageDigest
  let manifest = resolved
  if (isImageIndex(resolved.imageManifestMediaType)) {
    let platforms
    try {
      platforms = await getIndexManifests(client, resolved, deps.signal)
    } catch (error) {
      return { label, imageDigest, outcome: 'unreadable', reason: explain(error) }
    }
    const wanted = scanned.platform ?? (platforms.length === 1 ? platforms[0]?.platform : undefined)
    const same = platforms.find((candidate) => candidate.platform === wanted)
    if (!wanted) {
      return {
        label,
        imageDigest,
        outcome: 'unreadable',
        reason: `it is a multi-arch image (${platforms.map((p) => p.platform).join(', ')}) and the scanned image is one manifest, so no platform of it is the one to compare with`,
      }
    }
    // A platform the baseline lacks is all new.
    if (!same) return { label, imageDigest, outcome: 'compared', findings: [] }
    manifest = {
      ...resolved,
      imageDigest: same.imageDigest,
      imageManifestMediaType: same.imageManifestMediaType,
    }
  }
  const wait = await waitForScan({
    client,
    image: manifest,
    label,
    clock: deps.clock,
    log,
    signal: deps.signal,
    timeoutMs: deps.timeoutMs,
    justStarted: false,
    settle: scanned.settle,
    missingScanGraceMs: 0,
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
      return { label, imageDigest, outcome: 'unreadable', reason: explain(wait.error) }
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
