// How one finding is said, shared by the summary, annotations, SARIF and the PR comment (the
// order they are listed in is facts/order.ts).

import type { Finding } from '../kernel/model.js'
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
