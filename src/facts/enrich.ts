// Read → enrich → judge → report: after an image's findings are read, everything the verdict and
// the reports need to know about them is worked out here, once, as plain data on its report.

import {
  classifyStatus,
  type ExploitData,
  type FindingFacts,
  type IgnoreRule,
  type ScanResult,
} from '../kernel/model.js'
import { comparisonOf } from './compare.js'
import { consideredFindings, type Narrowing } from './considered.js'
import { exploitFacts } from './exploits.js'
import { applyIgnoreRules } from './ignore.js'
import { applyVex, type VexIndex } from './vex.js'

/** What the facts of an image depend on besides its scan: the inputs that narrow the verdict. */
export type FactSettings = Narrowing

/**
 * What the step learned from sources other than the image's scan, each fetched or parsed once
 * per step and handed to every image's enrichment as plain data.
 */
export interface FactSources {
  /** The ignore rules still in force (expired ones only warn). */
  ignore: IgnoreRule[]
  /** What CISA KEV and EPSS said about the step's CVEs; unset with exploit-sources: none. */
  exploits?: ExploitData
  /** vex: the documents' statements, indexed by vulnerability (facts/vex.ts); unset without vex. */
  vex?: VexIndex
}

/**
 * The image's result with the ignore rules of `sources` applied (ignored findings move
 * to `findings.ignored`), then its VEX statements (suppressed findings leave `findings.list` and
 * its counts, and are kept in `facts.vex`), and its facts: the comparison with the baseline of
 * compare-to, what the verdict considers, whether every finding was read, and what the exploit
 * sources say about each finding (when they were asked). Pure.
 */
export function enrich(
  scanned: ScanResult,
  sources: FactSources,
  settings: FactSettings,
): { result: ScanResult; facts: FindingFacts } {
  const ignored = applyIgnoreRules(scanned, sources.ignore)
  // After the ignore rules: a finding both ignored and suppressed counts once, as ignored.
  const { result, vex } = sources.vex
    ? applyVex(ignored, sources.vex)
    : { result: ignored, vex: undefined }
  const comparison = comparisonOf(
    result,
    vex?.suppressed.map(({ finding }) => finding),
  )
  const considered = consideredFindings(result.findings, comparison, settings)
  const facts: FindingFacts = { comparison, considered, readInFull: findingsReadInFull(result) }
  if (vex) facts.vex = vex
  if (sources.exploits) facts.exploits = exploitFacts(result.findings?.list ?? [], sources.exploits)
  return { result, facts }
}

/**
 * Every finding of the image was read: a final, complete scan status (COMPLETE or ACTIVE), the
 * wait did not stop at wait-timeout (Inspector's findings settled), and every page of the list
 * was read. Only then can a gate that found nothing say so.
 */
export function findingsReadInFull(result: ScanResult): boolean {
  const { findings } = result
  return (
    findings !== undefined &&
    findings.unread === 0 &&
    !result.timedOut &&
    classifyStatus(result.scanStatus) === 'complete'
  )
}
