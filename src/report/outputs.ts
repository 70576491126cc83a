// Step outputs for what this run learned; an output stays unset until its value is known.
// With several images (or the platforms of an index) the single-value outputs aggregate and
// `results` holds every image's own outputs.
// The severity counts are what is left after ignore rules; severity-counts keeps ECR's own.

import { consoleUrl, formatImage } from '../image-ref.js'
import {
  SEVERITIES,
  classifyStatus,
  emptyCounts,
  totalOf,
  type ScanResult,
  type SeverityCounts,
} from '../model.js'
import { Outputs, type OutputName } from '../names.js'
import type { ImageReport, Verdict } from '../policy.js'

export type OutputValues = Partial<Record<OutputName, string>>

const COUNT_OUTPUTS: [OutputName, keyof SeverityCounts][] = [
  [Outputs.critical, 'CRITICAL'],
  [Outputs.high, 'HIGH'],
  [Outputs.medium, 'MEDIUM'],
  [Outputs.low, 'LOW'],
  [Outputs.informational, 'INFORMATIONAL'],
  [Outputs.undefined, 'UNDEFINED'],
]

/** The outputs of one image (or one platform of an index). */
export function outputsOf(result: ScanResult, verdict: Verdict): OutputValues {
  const { image, target, findings } = result
  const values: OutputValues = {
    [Outputs.scanStarted]: `${result.scanStarted}`,
    [Outputs.limitExceeded]: `${result.limitExceeded}`,
    [Outputs.repository]: target.repositoryName,
  }
  const set = (name: OutputName, value: string | number | undefined): void => {
    if (value !== undefined && value !== '') values[name] = `${value}`
  }
  set(Outputs.scanStatus, result.scanStatus)
  set(Outputs.scanStatusDescription, result.scanStatusDescription)
  set(Outputs.scanType, result.scanType)
  set(Outputs.registryId, image?.registryId || target.registryId)
  set(Outputs.imageTag, target.imageTag)
  set(Outputs.imageDigest, image?.imageDigest)
  if (findings) {
    set(Outputs.findingsTotal, totalOf(findings.severityCounts))
    for (const [name, severity] of COUNT_OUTPUTS) set(name, findings.severityCounts[severity])
    set(Outputs.severityCounts, JSON.stringify(findings.rawSeverityCounts))
    set(Outputs.ignored, findings.ignored?.length ?? 0)
  }
  if (verdict.thresholdExceeded !== undefined) {
    set(Outputs.thresholdExceeded, `${verdict.thresholdExceeded}`)
  }
  if (image?.registryId) set(Outputs.consoleUrl, consoleUrl({ ...image, region: result.region }))
  return values
}

/** How bad a status is, to pick the one status that speaks for several images. */
function statusRank(result: ScanResult): number {
  if (result.timedOut) return 3
  const rank = { failed: 4, running: 2, unknown: 2, complete: 1 }
  return result.scanStatus ? rank[classifyStatus(result.scanStatus)] : 3
}

/** The step's outputs: one image's as they are, several images' aggregated, plus `results`. */
export function stepOutputs(reports: ImageReport[]): OutputValues {
  const results = JSON.stringify(reports.map(resultEntry))
  const only = reports[0]
  if (reports.length === 1 && only) return { ...outputsOf(only.result, only.verdict), results }

  const each = reports.map(({ result, verdict }) => outputsOf(result, verdict))
  const distinct = (name: OutputName): string | undefined => {
    const values = [...new Set(each.map((values) => values[name]).filter((v) => v !== undefined))]
    return values.length ? values.join('\n') : undefined
  }
  const worst = reports.reduce<ScanResult | undefined>(
    (worst, { result }) => (!worst || statusRank(result) > statusRank(worst) ? result : worst),
    undefined,
  )
  const values: OutputValues = {
    [Outputs.scanStarted]: `${reports.some(({ result }) => result.scanStarted)}`,
    [Outputs.limitExceeded]: `${reports.some(({ result }) => result.limitExceeded)}`,
    results,
  }
  const set = (name: OutputName, value: string | undefined): void => {
    if (value !== undefined && value !== '') values[name] = value
  }
  set(Outputs.scanStatus, worst?.scanStatus)
  set(Outputs.scanStatusDescription, worst?.scanStatusDescription)
  for (const name of [Outputs.scanType, Outputs.registryId, Outputs.repository, Outputs.imageTag]) {
    set(name, distinct(name))
  }
  // The platforms of an index share the index's digest: that is the image the user named.
  const digests = reports.map(({ result }) => result.indexDigest ?? result.image?.imageDigest)
  set(Outputs.imageDigest, [...new Set(digests.filter(Boolean))].join('\n'))

  const known = reports.filter(({ result }) => result.findings)
  if (known.length > 0) {
    const counts = emptyCounts()
    const raw: Record<string, number> = {}
    for (const { result } of known) {
      for (const severity of SEVERITIES)
        counts[severity] += result.findings?.severityCounts[severity] ?? 0
      for (const [word, count] of Object.entries(result.findings?.rawSeverityCounts ?? {})) {
        raw[word] = (raw[word] ?? 0) + count
      }
    }
    set(Outputs.findingsTotal, `${totalOf(counts)}`)
    for (const [name, severity] of COUNT_OUTPUTS) set(name, `${counts[severity]}`)
    set(Outputs.severityCounts, JSON.stringify(raw))
    const ignored = known.reduce(
      (sum, { result }) => sum + (result.findings?.ignored?.length ?? 0),
      0,
    )
    set(Outputs.ignored, `${ignored}`)
  }
  const judged = reports.filter(({ verdict }) => verdict.thresholdExceeded !== undefined)
  if (judged.length > 0) {
    set(Outputs.thresholdExceeded, `${judged.some(({ verdict }) => verdict.thresholdExceeded)}`)
  }
  return values
}

/** One entry of the `results` output: the image's own outputs, its name and platform. */
function resultEntry({ result, verdict }: ImageReport) {
  return {
    image: formatImage(result.target),
    region: result.region,
    ...(result.platform ? { platform: result.platform, 'index-digest': result.indexDigest } : {}),
    ...outputsOf(result, verdict),
    ...(verdict.failure ? { failure: verdict.failure } : {}),
  }
}
