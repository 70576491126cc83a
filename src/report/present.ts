// How one finding is said, shared by the summary, annotations, SARIF and the PR comment (the
// order they are listed in is facts/order.ts).

import type { ExploitSourceStatus, Finding, FindingExploits } from '../kernel/model.js'
import { plainLine } from '../kernel/text.js'

/**
 * Said next to a finding with a known exploit (Inspector's exploitAvailable) in the summary, the
 * pull-request comment and the annotations: a word, so it reads without the symbol too.
 */
export const EXPLOIT_MARK = '⚠ exploit'

/** "CVE-1 (HIGH) in openssl 3.0.1, fixed in 3.0.2": one line, shared with the annotations. */
export function findingLine(finding: Finding): string {
  const where = finding.packageName
    ? ` in ${finding.packageName}${finding.packageVersion ? ` ${finding.packageVersion}` : ''}`
    : ''
  const fix = finding.fixedInVersion
    ? `, fixed in ${finding.fixedInVersion}`
    : finding.fixAvailable === 'NO'
      ? ', no fix available'
      : ', fixed version not known'
  return plainLine(`${finding.id} (${finding.ecrSeverity})${where}${fix}`)
}

/** Said next to a finding in CISA's Known Exploited Vulnerabilities catalog. */
export const KEV_MARK = '🔥 KEV'

/** An EPSS score as EPSS writes it, without its trailing zeros: `0.972240000` → `0.97224`. */
export function epssNumber(score: string): string {
  return score.includes('.') ? score.replace(/0+$/, '').replace(/\.$/, '') : score
}

/**
 * What the exploit sources say about a finding, in words for one line: "🔥 KEV, EPSS 0.97224
 * (100th percentile)", "EPSS 0.0015", "not covered (no CVE)" or '' when nothing is known.
 */
export function exploitWords(exploits: FindingExploits | undefined): string {
  if (!exploits) return ''
  if (exploits.cves.length === 0) return 'not covered (no CVE)'
  const words: string[] = []
  if (exploits.kev) words.push(KEV_MARK)
  if (exploits.epss) {
    const percentile = Math.floor(Number(exploits.epss.percentile) * 100)
    words.push(`EPSS ${epssNumber(exploits.epss.epss)} (${ordinal(percentile)} percentile)`)
  }
  return words.join(', ')
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st… */
function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`
}

/**
 * One exploit source in words, for the summary and the comment: which data the verdict saw and
 * how fresh it is, or why it is missing. Undefined for a source exploit-sources leaves out.
 */
export function sourceWords(name: 'kev' | 'epss', status: ExploitSourceStatus): string | undefined {
  const source = name === 'kev' ? "CISA's KEV catalog" : 'EPSS'
  switch (status.state) {
    case 'off':
      return undefined
    case 'unasked':
      return `${source}: not asked (no finding has a CVE)`
    case 'failed':
      return `${source}: missing, ${status.reason ?? 'no reason given'}`
    case 'read':
      return name === 'kev'
        ? `${source} ${status.version ?? ''}, released ${status.date ?? 'at an unknown time'}`
        : `${source} scores of ${status.date ?? 'an unknown day'} (its API states no model version)`
  }
}
