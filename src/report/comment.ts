// The pull-request comment for one image: a short, pure rendering of its scan results (several
// when the lead scans each platform of an index), with a hidden marker to find it again.

import { formatImage } from '../image-ref.js'
import { totalOf, type ScanResult } from '../model.js'
import type { ImageReport } from '../policy.js'
import { text } from './escape.js'
import {
  FINDINGS_HEAD,
  MAX_SUMMARY_BYTES,
  findingRow,
  fitSummary,
  headline,
  mostSevere,
  severityTable,
} from './summary.js'

/** Findings shown in a comment; the job summary and the findings file have the rest. */
export const MAX_COMMENT_ROWS = 10
/** GitHub refuses comment bodies over 65,536 characters. */
const MAX_COMMENT_BYTES = 60_000

/**
 * One comment per image per pull request: keyed by registry and repository, not by tag or
 * digest, so the next push to the pull request updates the comment instead of adding one.
 */
export function commentKey(result: ScanResult): string {
  const registryId = result.image?.registryId || result.target.registryId || 'default'
  return `${registryId}/${result.target.repositoryName}`
}

export function commentMarker(key: string): string {
  // `--` would end the HTML comment early; ECR names cannot hold it, but stay safe.
  return `<!-- ecr-image-scan:comment ${key.replace(/--+/g, '-')} -->`
}

/** Link to the workflow run, on the server the workflow runs on (GitHub Enterprise too). */
export function runUrl(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env
  if (!server || !repository || !runId) return undefined
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}${attempt}`
}

export function renderComment(
  key: string,
  reports: ImageReport[],
  env: Record<string, string | undefined>,
): string {
  const lines = [commentMarker(key)]
  for (const { result, verdict } of reports) {
    const digest = result.image?.imageDigest ?? result.target.imageDigest
    lines.push(
      `### ${headline(result, verdict)} ECR image scan: <code>${text(formatImage(result.target), 400)}</code>`,
      '',
    )
    if (digest)
      lines.push(
        `Digest <code>${text(digest)}</code>, scan ${text(result.scanStatus ?? 'unknown')}`,
        '',
      )
    if (verdict.failure) lines.push('> [!CAUTION]', `> ${text(verdict.failure, 1000)}`, '')
    const findings = result.findings
    if (!findings) continue
    lines.push(severityTable(result), '')
    const total = totalOf(findings.severityCounts)
    const shown = mostSevere(findings.list, MAX_COMMENT_ROWS)
    if (shown.length > 0) {
      lines.push(
        shown.length < total ? `Most severe ${shown.length} of ${total}:` : 'Findings:',
        '',
        '<table>',
        FINDINGS_HEAD,
        ...shown.map(findingRow),
        '</table>',
        '',
      )
    }
    const ignored = findings.ignored?.length ?? 0
    if (ignored > 0)
      lines.push(`${ignored} finding${ignored === 1 ? '' : 's'} ignored by ignore rules.`, '')
  }
  const run = runUrl(env)
  if (run)
    lines.push(`<a href="${text(run, 2000)}">All findings in the workflow run's summary</a>`, '')
  return fitSummary(lines.join('\n'), Math.min(MAX_COMMENT_BYTES, MAX_SUMMARY_BYTES))
}
