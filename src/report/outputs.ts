// Step outputs for what this run learned; an output stays unset until its value is known.
// The severity counts are what is left after ignore rules; severity-counts keeps ECR's own.

import { consoleUrl } from '../image-ref.js'
import { totalOf, type ScanResult } from '../model.js'
import { Outputs, type OutputName } from '../names.js'
import type { Verdict } from '../policy.js'

export type OutputValues = Partial<Record<OutputName, string>>

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
    const counts = findings.severityCounts
    set(Outputs.findingsTotal, totalOf(counts))
    set(Outputs.critical, counts.CRITICAL)
    set(Outputs.high, counts.HIGH)
    set(Outputs.medium, counts.MEDIUM)
    set(Outputs.low, counts.LOW)
    set(Outputs.informational, counts.INFORMATIONAL)
    set(Outputs.undefined, counts.UNDEFINED)
    set(Outputs.severityCounts, JSON.stringify(findings.rawSeverityCounts))
    set(Outputs.ignored, findings.ignored?.length ?? 0)
  }
  if (verdict.thresholdExceeded !== undefined) {
    set(Outputs.thresholdExceeded, `${verdict.thresholdExceeded}`)
  }
  if (image?.registryId) set(Outputs.consoleUrl, consoleUrl({ ...image, region: result.region }))
  return values
}
