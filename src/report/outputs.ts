// Step outputs for what this run learned; an output stays unset until its value is known, and
// no output answers a question the user did not ask or claims what was not read: a "false" or
// a 0 always means it was checked. With several images (or the platforms of an index) the
// single-value outputs aggregate, only over every image (a sum over some would read as "safe"
// for the others), and `results` holds every image's own outputs.
// The severity counts are what is left after ignore rules; severity-counts keeps ECR's own.

import { consoleUrl, formatImage } from '../kernel/image-ref.js'
import {
  SEVERITIES,
  classifyStatus,
  emptyCounts,
  isExploitable,
  totalOf,
  type Finding,
  type FindingExploits,
  type FindingFacts,
  type ScanResult,
  type SeverityCounts,
  type ImageReport,
  type Outcome,
} from '../kernel/model.js'
import { Outputs, type OutputName } from '../kernel/names.js'
import { mostSevere } from '../facts/order.js'
import { suppressedCount } from '../facts/vex.js'

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
export function outputsOf({ result, facts, verdict }: ImageReport): OutputValues {
  const { image, target, findings } = result
  const values: OutputValues = {
    [Outputs.scanStarted]: `${result.scanStarted}`,
    [Outputs.repository]: target.repositoryName,
  }
  const set = (name: OutputName, value: string | number | boolean | undefined): void => {
    if (value !== undefined && value !== '') values[name] = `${value}`
  }
  set(Outputs.verdict, verdict.outcome)
  set(Outputs.limitExceeded, result.limitExceeded)
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
    set(Outputs.vexSuppressed, facts.vex?.suppressed.length)
  }
  // Counted from the list: only a list read in full says how many there are.
  const listed = facts.readInFull ? findings?.list : undefined
  // Basic findings carry no exploit data: 0 there would be a claim nobody checked.
  if (result.scanType === 'ENHANCED') set(Outputs.exploitable, listed?.filter(isExploitable).length)
  const exploits = exploitOutputs(facts)
  set(Outputs.kev, exploits.kev)
  set(Outputs.epssMax, exploits.epssMax)
  const comparison = listed && facts.comparison
  if (comparison) {
    set(Outputs.newFindings, comparison.added.length)
    set(Outputs.fixedFindings, comparison.fixed.length)
  }
  set(Outputs.baselineDigest, result.baseline?.imageDigest)
  set(Outputs.thresholdExceeded, verdict.thresholdExceeded)
  if (image?.registryId) set(Outputs.consoleUrl, consoleUrl({ ...image, region: result.region }))
  return values
}

/**
 * `kev`: considered findings in the catalog, only when the catalog was read and the findings in
 * full (a 0 is then a checked answer); `epss-max`: the highest score among considered findings,
 * as EPSS writes it, when EPSS was read and one is scored.
 */
function exploitOutputs(facts: FindingFacts): { kev?: number; epssMax?: string } {
  const { exploits, considered } = facts
  if (!exploits || !considered) return {}
  const of = (finding: Finding) => exploits.byFinding.get(finding)
  const inKev = considered.list.filter((finding) => of(finding)?.kev).length
  const kev = exploits.kev.state === 'read' && (facts.readInFull || inKev > 0) ? inKev : undefined
  if (exploits.epss.state !== 'read') return { kev }
  const scores = considered.list
    .map((finding) => of(finding)?.epss?.epss)
    .filter((e) => e !== undefined)
  const epssMax = scores.sort((a, b) => Number(b) - Number(a))[0]
  return { kev, epssMax }
}

/**
 * The exploit data of an image's listed findings for `results`: each finding the sources know
 * something about, riskiest first, with its KEV entry's dates and ransomware use and its EPSS
 * score and percentile.
 */
export function exploitEntries({ result, facts }: ImageReport): ExploitEntry[] | undefined {
  const exploits = facts.exploits
  if (!exploits) return undefined
  const of = (finding: Finding) => exploits.byFinding.get(finding)
  const known = (result.findings?.list ?? []).filter((f) => of(f)?.kev || of(f)?.epss)
  return mostSevere(known, known.length, of).map((finding) => exploitEntry(finding, of(finding)))
}

/** One finding's exploit data, in the sources' own field names. */
export interface ExploitEntry {
  id: string
  package?: string
  cves: string[]
  kev?: { dateAdded: string; dueDate: string; knownRansomwareCampaignUse: string }
  epss?: string
  percentile?: string
}

/** One finding's ExploitEntry. */
export function exploitEntry(
  finding: Finding,
  exploits: FindingExploits | undefined,
): ExploitEntry {
  return {
    id: finding.id,
    ...(finding.packageName ? { package: finding.packageName } : {}),
    ...exploitDetail(exploits),
  }
}

/** What the sources say about one finding, as `results` and the findings file write it. */
export function exploitDetail(
  exploits: FindingExploits | undefined,
): Omit<ExploitEntry, 'id' | 'package'> {
  const kev = exploits?.kev
  return {
    cves: exploits?.cves ?? [],
    ...(kev
      ? {
          kev: {
            dateAdded: kev.dateAdded,
            dueDate: kev.dueDate,
            knownRansomwareCampaignUse: kev.knownRansomwareCampaignUse,
          },
        }
      : {}),
    ...(exploits?.epss ? { epss: exploits.epss.epss, percentile: exploits.epss.percentile } : {}),
  }
}

/** How bad a status is, to pick the one status that speaks for several images. */
function statusRank(result: ScanResult): number {
  if (result.timedOut) return 3
  const rank = { failed: 4, running: 2, unknown: 2, complete: 1 }
  return result.scanStatus ? rank[classifyStatus(result.scanStatus)] : 3
}

/**
 * GitHub keeps at most 1 MB of outputs per job, all steps together, counting their size in
 * UTF-16 (two bytes a character; GitHub's "Passing information between jobs"); over it the job's
 * outputs are lost. One step's outputs stay under a quarter of that, so several scan steps and
 * the job's other steps still fit: 256 KiB, about 131,000 characters.
 */
export const OUTPUTS_BUDGET_BYTES = 256 * 1024

/**
 * A list output (one value per line: digests, tags, repositories) over this size, in the same
 * UTF-16 bytes, stays unset: some hundreds of images, for which `results` or the findings file
 * serve better. Lists also give way when with the other outputs they pass half the budget.
 */
const MAX_LIST_OUTPUT_BYTES = 32 * 1024

/**
 * What `results` holds, as the `results-form` output says:
 * - `full`: every image with all its outputs (about 1.6 KB an image, in UTF-16);
 * - `compact`: every image with image, region, platform, scan-status, findings-total, critical,
 *   high, threshold-exceeded, verdict and failure (cut at 200 characters);
 * - `failing`: the compact entries of the images that failed or exceeded the threshold only;
 * - `failing-truncated`: as many of those as fit, in the order the images were given.
 * The findings file (`findings-file` output) always has every image.
 */
export type ResultsForm = 'full' | 'compact' | 'failing' | 'failing-truncated'

/** The size GitHub counts for outputs: names and values in UTF-16. */
export function outputsSize(values: OutputValues): number {
  return Object.entries(values).reduce(
    (sum, [name, value]) => sum + 2 * (name.length + (value?.length ?? 0)),
    0,
  )
}

/**
 * The step's outputs: one image's as they are, several images' aggregated, plus `results` and
 * `results-form`, within `budget` bytes as GitHub counts them (outputsSize): `results` takes the
 * fullest ResultsForm that fits what the other outputs leave.
 */
export function stepOutputs(
  reports: ImageReport[],
  budget: number = OUTPUTS_BUDGET_BYTES,
): OutputValues {
  const only = reports[0]
  const values = reports.length === 1 && only ? outputsOf(only) : aggregated(reports)
  // The lists give way to results when together they would take more than half the budget.
  const lists = LIST_OUTPUTS.filter((name) => values[name] !== undefined).sort(
    (a, b) => (values[b]?.length ?? 0) - (values[a]?.length ?? 0),
  )
  for (const name of lists) {
    if (outputsSize(values) <= budget / 2) break
    delete values[name]
  }
  return { ...values, ...resultsWithin(reports, budget - outputsSize(values)) }
}

/** The outputs that list one value per line for several images. */
const LIST_OUTPUTS: OutputName[] = [
  Outputs.scanType,
  Outputs.registryId,
  Outputs.repository,
  Outputs.imageTag,
  Outputs.imageDigest,
]

/** The log's note when `results` is not the full form; '' when it is. */
export function resultsFormNote(form: string | undefined): string {
  if (!form || form === 'full') return ''
  const what: Record<string, string> = {
    compact: 'fewer fields per image',
    failing: 'only the images that failed or exceeded the threshold, with fewer fields',
    'failing-truncated': 'only the first images that failed or exceeded the threshold',
  }
  return `The results output holds ${what[form] ?? form} (results-form: ${form}) to stay within GitHub's 1 MB of outputs per job; the file of the findings-file output is the full record.`
}

function aggregated(reports: ImageReport[]): OutputValues {
  const each = reports.map(outputsOf)
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
  }
  const set = (name: OutputName, value: string | undefined): void => {
    if (value !== undefined && value !== '') values[name] = value
  }
  set(Outputs.verdict, worstOutcome(reports.map(({ verdict }) => verdict.outcome)))
  set(Outputs.limitExceeded, anyOrAll(reports.map(({ result }) => result.limitExceeded)))
  const setList = (name: OutputName, value: string | undefined): void => {
    if (value !== undefined && 2 * value.length <= MAX_LIST_OUTPUT_BYTES) set(name, value)
  }
  set(Outputs.scanStatus, worst?.scanStatus)
  set(Outputs.scanStatusDescription, worst?.scanStatusDescription)
  for (const name of LIST_OUTPUTS.filter((name) => name !== Outputs.imageDigest)) {
    setList(name, distinct(name))
  }
  // The platforms of an index share the index's digest: that is the image the user named.
  const digests = reports.map(({ result }) => result.indexDigest ?? result.image?.imageDigest)
  setList(Outputs.imageDigest, [...new Set(digests.filter(Boolean))].join('\n'))

  // Counts of some images only would read as the whole step's.
  const known = reports.filter(({ result }) => result.findings)
  if (known.length === reports.length) {
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
    // Without vex no image has VEX facts, and the output stays unset.
    if (known.every(({ facts }) => facts.vex)) {
      set(Outputs.vexSuppressed, `${suppressedCount(known.map(({ facts }) => facts))}`)
    }
  }
  // Over the enhanced images, the only ones whose findings carry exploit data.
  const enhanced = each.filter((_, i) => reports[i]?.result.scanType === 'ENHANCED')
  set(Outputs.exploitable, sumOfAll(enhanced, Outputs.exploitable))
  set(Outputs.kev, sumOfAll(each, Outputs.kev))
  set(Outputs.epssMax, highestOfAll(each, Outputs.epssMax))
  // Where every image was compared; unset when none or only some were.
  set(Outputs.newFindings, sumOfAll(each, Outputs.newFindings))
  set(Outputs.fixedFindings, sumOfAll(each, Outputs.fixedFindings))
  setList(Outputs.baselineDigest, distinct(Outputs.baselineDigest))
  set(Outputs.thresholdExceeded, anyOrAll(reports.map(({ verdict }) => verdict.thresholdExceeded)))
  return values
}

/**
 * The step's `verdict` from its images': failed when any failed, else incomplete when any is,
 * else passed when every image passed; unset when some image had no gate to pass.
 */
export function worstOutcome(outcomes: (Outcome | undefined)[]): Outcome | undefined {
  if (outcomes.includes('failed')) return 'failed'
  if (outcomes.includes('incomplete')) return 'incomplete'
  if (outcomes.length > 0 && outcomes.every((outcome) => outcome === 'passed')) return 'passed'
  return undefined
}

/**
 * A yes-or-no answer for several images: 'true' when any image's is true, 'false' when every
 * image's is false, and undefined otherwise (some were not answered, so "false" is not known).
 */
function anyOrAll(answers: (boolean | undefined)[]): string | undefined {
  if (answers.includes(true)) return 'true'
  return answers.length > 0 && answers.every((answer) => answer === false) ? 'false' : undefined
}

/** `results` and `results-form`: the fullest form of the entries that fits in `room` bytes. */
function resultsWithin(reports: ImageReport[], room: number): OutputValues {
  const within = (form: ResultsForm, results: string): OutputValues | undefined => {
    const values = { [Outputs.results]: results, [Outputs.resultsForm]: form }
    return outputsSize(values) <= room ? values : undefined
  }
  const failing = reports.filter(({ verdict }) => verdict.failure || verdict.thresholdExceeded)
  const fitted =
    within('full', JSON.stringify(reports.map(resultEntry))) ??
    within('compact', JSON.stringify(reports.map(compactEntry))) ??
    within('failing', JSON.stringify(failing.map(compactEntry)))
  if (fitted) return fitted
  // Entries in order while they fit: `[`, entries joined by `,`, `]`.
  const fixed = outputsSize({ [Outputs.results]: '[]', [Outputs.resultsForm]: 'failing-truncated' })
  const kept: string[] = []
  let size = fixed
  for (const report of failing) {
    const entry = JSON.stringify(compactEntry(report))
    size += 2 * (entry.length + (kept.length > 0 ? 1 : 0))
    if (size > room) break
    kept.push(entry)
  }
  return {
    [Outputs.results]: `[${kept.join(',')}]`,
    [Outputs.resultsForm]: 'failing-truncated',
  }
}

/** An entry of the compact forms: who, the status, the counts that gate, and why it failed. */
function compactEntry({ result, verdict }: ImageReport) {
  const counts = result.findings?.severityCounts
  const failure =
    verdict.failure && verdict.failure.length > 200
      ? `${verdict.failure.slice(0, 199)}…`
      : verdict.failure
  return {
    image: formatImage(result.target),
    region: result.region,
    ...(result.platform ? { platform: result.platform } : {}),
    ...(result.scanStatus ? { 'scan-status': result.scanStatus } : {}),
    ...(counts
      ? {
          'findings-total': `${totalOf(counts)}`,
          critical: `${counts.CRITICAL}`,
          high: `${counts.HIGH}`,
        }
      : {}),
    ...(verdict.thresholdExceeded !== undefined
      ? { 'threshold-exceeded': `${verdict.thresholdExceeded}` }
      : {}),
    ...(verdict.outcome ? { verdict: verdict.outcome } : {}),
    ...(failure ? { failure } : {}),
  }
}

/** One entry of the `results` output: the image's own outputs, its name and platform. */
function resultEntry(report: ImageReport) {
  const { result, verdict } = report
  return {
    image: formatImage(result.target),
    region: result.region,
    ...(result.platform ? { platform: result.platform, 'index-digest': result.indexDigest } : {}),
    ...outputsOf(report),
    ...(verdict.failure ? { failure: verdict.failure } : {}),
    ...(report.facts.exploits ? { exploits: exploitEntries(report) } : {}),
  }
}

/**
 * The highest of a score output over images, as written; undefined when none has it. An image
 * without it has no scored finding, so the others' highest is the step's.
 */
function highestOfAll(each: OutputValues[], name: OutputName): string | undefined {
  const scores = each.map((values) => values[name]).filter((value) => value !== undefined)
  return scores.sort((a, b) => Number(b) - Number(a))[0]
}

/**
 * The sum of a count output over images, when every one of them has it; undefined when any
 * lacks it, or there are none.
 */
function sumOfAll(each: OutputValues[], name: OutputName): string | undefined {
  const counts = each.map((values) => values[name])
  if (counts.length === 0 || counts.includes(undefined)) return undefined
  return `${counts.reduce((sum, value) => sum + Number(value), 0)}`
}
