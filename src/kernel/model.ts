// The plain data that flows between the stages: inputs, the ECR edge, the scan, its facts, the
// verdict and the reports.

import type { VexStatement } from './vex.js'

/** ECR's severity words, most severe first; Inspector's UNTRIAGED is counted as UNDEFINED. */
export const SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNDEFINED',
] as const
export type Severity = (typeof SEVERITIES)[number]

export type ScanType = 'BASIC' | 'ENHANCED'

/** How often ECR scans a repository, from the registry's scanning rules (ECR's ScanFrequency). */
export type ScanFrequency = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL'

/** What to do about a condition the user may accept: the quota, a scan that did not finish. */
export type Reaction = 'fail' | 'warn' | 'ignore'

/** One image in one repository, as the user named it. */
export interface ImageTarget {
  registryId?: string
  repositoryName: string
  imageTag?: string
  imageDigest?: string
}

/** The image as ECR knows it, after DescribeImages. */
export interface ResolvedImage {
  registryId: string
  repositoryName: string
  imageDigest: string
  imageTag?: string
  imageManifestMediaType?: string
}

/** One vulnerability in one image, the same shape for basic and enhanced (Inspector) findings. */
export interface Finding {
  /** CVE-…, GHSA-…, ALAS-…: basic `name`, enhanced `packageVulnerabilityDetails.vulnerabilityId`. */
  id: string
  severity: Severity
  /** ECR's own word where it differs from `severity` (UNTRIAGED). */
  ecrSeverity: string
  uri?: string
  title?: string
  description?: string
  packageName?: string
  packageVersion?: string
  fixedInVersion?: string
  /** CVSS score (enhanced `score`, basic CVSS3_SCORE or CVSS2_SCORE). */
  score?: number
  /** Enhanced findings only: YES, NO or PARTIAL. */
  fixAvailable?: string
  /** Enhanced findings only: Inspector's `exploitAvailable`, YES when a known exploit exists. */
  exploitAvailable?: string
  /**
   * Enhanced findings only: `packageVulnerabilityDetails.relatedVulnerabilities`, the IDs Inspector
   * relates to this one (CVE-…, USN-…), upper case; unset when there are none.
   */
  relatedVulnerabilities?: string[]
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/

/**
 * The CVE IDs a finding is known by, upper case: its own ID when it is a CVE (basic findings
 * always are), else the CVEs among its related vulnerabilities (an enhanced GHSA-… or ALAS-…
 * finding). Empty when it has none: exploit sources know only CVEs, so such a finding is not
 * covered by them, which says nothing about whether it is exploited.
 */
export function cvesOf(finding: Finding): string[] {
  const own = finding.id.toUpperCase()
  if (CVE_ID.test(own)) return [own]
  return [...new Set((finding.relatedVulnerabilities ?? []).filter((id) => CVE_ID.test(id)))]
}

/** Inspector knows an exploit for it (basic findings carry no exploit data). */
export function isExploitable(finding: Finding): boolean {
  return finding.exploitAvailable === 'YES'
}

/**
 * Inspector says a fix exists (YES, or PARTIAL: for some of the packages). Basic findings never
 * carry fix information, so none of them is fixable.
 */
export function isFixable(finding: Finding): boolean {
  return finding.fixAvailable === 'YES' || finding.fixAvailable === 'PARTIAL'
}

/** One entry of the `ignore` input or of the `ignore-file`. */
export interface IgnoreRule {
  /** Vulnerability ID as written; matched case-insensitively. */
  id: string
  reason?: string
  /** YYYY-MM-DD: the rule ignores through that day (UTC), then warns and stops ignoring. */
  expires?: string
  /** Only findings in this package (case-insensitive). */
  package?: string
  /** Where the rule was written, for messages: "input 'ignore'" or "FILE entry 3". */
  source: string
}

export interface IgnoredFinding {
  finding: Finding
  rule: IgnoreRule
}

export type SeverityCounts = Record<Severity, number>

/** The findings of a scan that reached a final status. */
export interface ScanFindings {
  /** ECR's findingSeverityCounts as ECR sent them (they count every finding). */
  rawSeverityCounts: Record<string, number>
  /** Per severity; after ignore rules, ECR's counts less the ignored findings. */
  severityCounts: SeverityCounts
  /** Every finding that could be read, in ECR's order (without the ignored ones once ignore rules ran). */
  list: Finding[]
  /** Findings left out by ignore rules; `severityCounts` no longer counts them. */
  ignored?: IgnoredFinding[]
  /** Findings the counts say exist but whose pages could not be read. */
  unread: number
  imageScanCompletedAt?: Date
  vulnerabilitySourceUpdatedAt?: Date
}

/** What this run learned about one image's scan; fields stay unset until known. */
export interface ScanResult {
  /** The image as the user named it. */
  target: ImageTarget
  region: string
  image?: ResolvedImage
  /** For one platform of a multi-arch index: `os/arch[/variant]`, and the index's digest. */
  platform?: string
  indexDigest?: string
  scanType?: ScanType
  /** From the registry's scanning rules; unset when they could not be read or list none. */
  scanFrequency?: ScanFrequency
  /** This run's StartImageScan was accepted. */
  scanStarted: boolean
  /**
   * true: StartImageScan answered with the 24-hour quota error; false: it accepted the scan.
   * Unset when it was not sent (enhanced scanning, or an error before it) or answered otherwise:
   * only its answer tells whether the quota is used up.
   */
  limitExceeded?: boolean
  /**
   * A repository pattern's nightly run found a scan completed in the last 24 hours and reported
   * it instead of starting one (ECR allows one basic scan per image per 24 hours).
   */
  recentScanReused?: boolean
  /** ECR's imageScanStatus.status; unset when no scan exists. */
  scanStatus?: string
  scanStatusDescription?: string
  /** The wait ended at wait-timeout before a final status (or before the findings settled). */
  timedOut: boolean
  /** Every poll of the wait failed (ECR errors, throttling, resets): the last error, in words. */
  lastPollError?: string
  /** Inspector's findings were still changing between reads when the wait ended. */
  findingsUnsettled?: boolean
  /** compare-to: the baseline image, read (never scanned), and how this image differs from it. */
  baseline?: Baseline
  findings?: ScanFindings
}

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 }
}

/** Maps any ECR or Inspector severity word to ours; unknown words count as UNDEFINED. */
export function toSeverity(word: string | undefined): Severity {
  const upper = (word ?? '').toUpperCase()
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : 'UNDEFINED'
}

export function countSeverities(raw: Record<string, number> | undefined): SeverityCounts {
  const counts = emptyCounts()
  for (const [word, count] of Object.entries(raw ?? {})) counts[toSeverity(word)] += count
  return counts
}

export function totalOf(counts: SeverityCounts): number {
  return SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0)
}

/** What an imageScanStatus.status means for this action (ECR's ScanStatus enum, in __fixtures__/realdata/MODEL.md). */
export type StatusClass = 'running' | 'complete' | 'failed' | 'unknown'

const STATUS_CLASSES: Record<string, StatusClass> = {
  IN_PROGRESS: 'running',
  // Enhanced only, undocumented: Inspector has not scanned yet.
  PENDING: 'running',
  COMPLETE: 'complete',
  // Enhanced: continuous scanning is on and the findings are current.
  ACTIVE: 'complete',
  FAILED: 'failed',
  UNSUPPORTED_IMAGE: 'failed',
  FINDINGS_UNAVAILABLE: 'failed',
  SCAN_ELIGIBILITY_EXPIRED: 'failed',
  IMAGE_ARCHIVED: 'failed',
  LIMIT_EXCEEDED: 'failed',
}

export function classifyStatus(status: string | undefined): StatusClass {
  return (status && STATUS_CLASSES[status]) || 'unknown'
}

/**
 * The verdict a later job gates on (the `verdict` output), for one image or the whole step:
 * - `passed`: at least one gate was configured, the image's findings were read in full and
 *   judged, and nothing failed;
 * - `failed`: the image (or the step) failed, for any reason;
 * - `incomplete`: gates were configured and nothing failed, but findings were not read in full
 *   (on-scan-failure: warn or ignore after a timeout or a failed scan).
 * Unset (undefined) when no gate was configured and nothing failed: no question was asked.
 */
export type Outcome = 'passed' | 'failed' | 'incomplete'

/** What the scan means for the step: made by verdict/judge.ts, shown by the reports. */
export interface Verdict {
  /**
   * Findings at or above fail-on-severity exist. Unset without fail-on-severity, and while no
   * such finding is known and the findings were not read in full (facts/enrich.ts's findingsReadInFull).
   */
  thresholdExceeded?: boolean
  /** The verdict output; see Outcome. Unset when no gate was configured and nothing failed. */
  outcome?: Outcome
  /** The step fails with this one line: what was wrong, then what to do. */
  failure?: string
  /** Warning annotations. */
  warnings: string[]
  /** Plain log lines (for conditions the user chose to ignore). */
  notes: string[]
}

/**
 * What the verdict considers of an image's findings: those left after ignore rules, narrowed by
 * only-new and only-fixable, with their counts per severity. Without a filter the counts are
 * ECR's (less the ignored findings), which count findings whose pages could not be read too.
 */
export interface Considered {
  counts: SeverityCounts
  list: Finding[]
  /** How the filters narrowed them, said before "finding": '', 'new ', 'fixable ', 'new fixable '. */
  words: string
}

/**
 * Everything learned about an image's findings once they were read (facts/), computed once per
 * image: the verdict reads these facts and the renderers show them; neither recomputes them.
 */
export interface FindingFacts {
  /** compare-to: how the findings differ from the baseline's; unset when none was compared. */
  comparison?: Comparison
  /** What the verdict considers; unset while the findings are unknown. */
  considered?: Considered
  /**
   * Every finding was read: a complete final status, settled, every page listed. Only then may an
   * output or a gate say "none" (findingsReadInFull).
   */
  readInFull: boolean
  /** What CISA KEV and EPSS say about the findings (each source read, failed, off or unasked); unset only with `exploit-sources: none`. */
  exploits?: ExploitFacts
  /** vex: what the statements decided about the findings; unset when vex is not set. */
  vex?: VexFacts
}

/**
 * One entry of CISA's Known Exploited Vulnerabilities catalog, in the catalog's own words: the
 * fields the action shows and keeps (the catalog has more).
 */
export interface KevEntry {
  cveID: string
  /** YYYY-MM-DD: when CISA added it to the catalog. */
  dateAdded: string
  /** YYYY-MM-DD: when US federal agencies must have acted on it. */
  dueDate: string
  requiredAction: string
  /** `Known` or `Unknown`, as CISA writes it. */
  knownRansomwareCampaignUse: string
}

/**
 * One CVE's score from FIRST's EPSS API, as EPSS writes it: `epss` is the probability (0 to 1)
 * of exploitation in the next 30 days and `percentile` its rank among all scored CVEs, both
 * decimal strings (`"0.001500000"`); `date` is the score's day (YYYY-MM-DD).
 */
export interface EpssScore {
  cve: string
  epss: string
  percentile: string
  date: string
}

/**
 * What the step learned from one exploit source: `read` (its data is in), `failed` (it could not
 * be read or answered garbage; `reason` says why, in words), `off` (exploit-sources leaves it
 * out) or `unasked` (no image had a CVE to ask about).
 */
export interface ExploitSourceStatus {
  state: 'read' | 'failed' | 'off' | 'unasked'
  reason?: string
  /** KEV: the catalog's `dateReleased`; EPSS: the newest score date among its answers. */
  date?: string
  /** KEV: the catalog's `catalogVersion`. EPSS's API states no model version. */
  version?: string
}

/** Everything the step read from the exploit sources, once, for every image. */
export interface ExploitData {
  kev: ExploitSourceStatus
  epss: ExploitSourceStatus
  /** KEV entries by CVE ID (upper case), of the CVEs asked about. */
  kevEntries: Map<string, KevEntry>
  /** EPSS scores by CVE ID (upper case); a CVE EPSS has not scored is absent. */
  epssScores: Map<string, EpssScore>
}

/** What the exploit sources say about one finding. */
export interface FindingExploits {
  /** The CVEs it was looked up by (cvesOf); empty: not covered by the sources. */
  cves: string[]
  /** Its KEV entry (the first of its CVEs in the catalog); unset when none is. */
  kev?: KevEntry
  /** Its EPSS score (the highest among its CVEs); unset when none is scored. */
  epss?: EpssScore
}

/** The exploit facts of an image: each finding's, and the state of each source. */
export interface ExploitFacts {
  kev: ExploitSourceStatus
  epss: ExploitSourceStatus
  /** Every listed finding (after ignore rules) to what the sources say about it. */
  byFinding: Map<Finding, FindingExploits>
}

/** A finding and the statement that decided about it: the latest that applies (facts/vex.ts). */
export interface VexDecision {
  finding: Finding
  statement: VexStatement
}

/** What the VEX statements decided about one image's findings. */
export interface VexFacts {
  /**
   * Findings whose latest statement is not_affected or fixed: taken out of `findings.list` and
   * its counts, as ignored ones are. A finding ignored already is not here (it counts once).
   */
  suppressed: VexDecision[]
  /** Findings kept whose latest statement is affected (its action statement) or under_investigation. */
  kept: VexDecision[]
  /** Every statement that applied to a finding of the image, the latest or not. */
  matched: VexStatement[]
}

/** One image (or one platform of an index): what was learned, its facts, and its verdict. */
export interface ImageReport {
  result: ScanResult
  facts: FindingFacts
  verdict: Verdict
}

/**
 * The image this one is compared with (compare-to): what was read of it, or why it could not
 * be compared.
 */
export interface Baseline {
  /** As the user named it, e.g. `team/api:production`. */
  label: string
  /** Its resolved digest (the index's, for a multi-arch baseline). */
  imageDigest?: string
  /** `compared`, or why not: not there, never scanned, or its scan could not be read. */
  outcome: 'compared' | 'missing' | 'not-scanned' | 'unreadable'
  /** Why it was not compared, in words. */
  reason?: string
  /** Every finding of the baseline's scan (for this platform), when compared. */
  findings?: Finding[]
}

/** How this image's findings differ from the baseline's, finding by finding. */
export interface Comparison {
  /** Findings (after ignore rules) the baseline does not have. */
  added: Finding[]
  /** Baseline findings this image no longer has. */
  fixed: Finding[]
  /** Findings (after ignore rules) the baseline has too. */
  unchanged: Finding[]
}
