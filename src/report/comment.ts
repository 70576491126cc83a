// The pull-request comment for one image: a short, pure rendering of its scan results (several
// when the lead scans each platform of an index), with a hidden marker to find it again.

import { imageLabel, repositoryKey } from '../kernel/image-ref.js'
import {
  totalOf,
  type Baseline,
  type Comparison,
  type Finding,
  type ImageReport,
} from '../kernel/model.js'
import { text } from './escape.js'
import { sourceWords } from './present.js'
import {
  MAX_SUMMARY_BYTES,
  baselineName,
  describeBaseline,
  findingsTable,
  fitSummary,
  headline,
  severityTable,
} from './summary.js'
import { exploitsOfFacts, mostSevere, type ExploitsOf } from '../facts/order.js'
import { vexSections } from './vex.js'

/** Findings shown in a comment; the job summary and the findings file have the rest. */
const MAX_COMMENT_ROWS = 10
/**
 * GitHub refuses a comment body over 65,536 characters ("Body is too long (maximum is 65536
 * characters)"). The body is cut by its UTF-8 size, never less than its length in characters,
 * with room to spare.
 */
export const MAX_COMMENT_CHARACTERS = 65_536
const MAX_COMMENT_BYTES = 60_000

/**
 * The pull-request comments of a step: the reports of each image (region, registry as given, and
 * repository: repositoryKey) together, in the order they came. Tags and digests are not part of
 * an image here, so the next push to the pull request, with a new tag, finds its comment again.
 */
export function commentGroups(reports: ImageReport[]): Map<string, ImageReport[]> {
  const groups = new Map<string, ImageReport[]>()
  for (const report of reports) {
    const image = repositoryKey(report.result)
    const group = groups.get(image)
    if (group) group.push(report)
    else groups.set(image, [report])
  }
  return groups
}

/**
 * The key of one comment: the image and, for a multi-arch image, the platforms scanned, sorted,
 * e.g. `us-east-1/team/api linux/amd64,linux/arm64`. The hidden marker carries it, so the same
 * image scanned again updates its comment, while a step that scans another image (or other
 * platforms of it) keeps its own.
 */
export function commentKey(group: ImageReport[]): string {
  const [first] = group
  if (!first) return ''
  const platforms = [
    ...new Set(group.map(({ result }) => result.platform).filter((p) => p !== undefined)),
  ].sort()
  return [repositoryKey(first.result), platforms.join(',')].filter(Boolean).join(' ')
}

/** The hidden first line of a comment, which finds it again: `<!-- ecr-image-scan:comment KEY -->`. */
export function commentMarker(key: string): string {
  // The key holds names from ECR and image manifests: nothing that could end the HTML comment.
  return `<!-- ecr-image-scan:comment ${key.replace(/[^\w./:,@ +-]/g, '_').replace(/--+/g, '-')} -->`
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
  for (const { result, facts, verdict } of reports) {
    const digest = result.image?.imageDigest ?? result.target.imageDigest
    lines.push(
      `### ${headline(result, verdict)} ECR image scan: <code>${text(imageLabel(result), 400)}</code>`,
      '',
    )
    if (digest)
      lines.push(
        `Digest <code>${text(digest)}</code>, scan ${text(result.scanStatus ?? 'unknown')}`,
        '',
      )
    if (verdict.failure) lines.push('> [!CAUTION]', `> ${text(verdict.failure, 1000)}`, '')
    const comparison = facts.comparison
    if (result.baseline)
      lines.push(`Baseline ${describeBaseline(result.baseline, comparison)}.`, '')
    const findings = result.findings
    if (!findings) continue
    const of = exploitsOfFacts([facts.exploits])
    const sources = facts.exploits
      ? [sourceWords('kev', facts.exploits.kev), sourceWords('epss', facts.exploits.epss)]
      : []
    for (const words of sources) if (words) lines.push(`${text(words, 300)}<br>`)
    if (sources.some(Boolean)) lines.push('')
    if (comparison && result.baseline) {
      // What this push changed comes first, as in the job summary.
      lines.push(...comparedLines(result.baseline, comparison, of), severityTable(result), '')
    } else {
      lines.push(severityTable(result), '')
      const total = totalOf(findings.severityCounts)
      const shown = mostSevere(findings.list, MAX_COMMENT_ROWS, of)
      if (shown.length > 0) {
        const most = of ? 'Riskiest' : 'Most severe'
        const title = shown.length < total ? `${most} ${shown.length} of ${total}:` : 'Findings:'
        lines.push(title, '', ...findingsTable(shown, of), '')
      }
    }
    const ignored = findings.ignored?.length ?? 0
    if (ignored > 0)
      lines.push(`${ignored} finding${ignored === 1 ? '' : 's'} ignored by ignore rules.`, '')
    if (facts.vex) lines.push(...vexSections(facts.vex))
  }
  const run = runUrl(env)
  if (run)
    lines.push(`<a href="${text(run, 2000)}">All findings in the workflow run's summary</a>`, '')
  return fitSummary(lines.join('\n'), Math.min(MAX_COMMENT_BYTES, MAX_SUMMARY_BYTES))
}

/** compare-to: the new findings, the fixed ones, then the unchanged ones collapsed. */
function comparedLines(
  baseline: Baseline,
  { added, fixed, unchanged }: Comparison,
  of?: ExploitsOf,
): string[] {
  const name = baselineName(baseline)
  const lines: string[] = []
  if (added.length === 0) {
    lines.push(`No new findings since ${name}.`, '')
  } else {
    const { count, table } = mostSevereTable(added, of)
    lines.push(`New since ${name} (${count}):`, '', ...table, '')
  }
  if (fixed.length > 0) {
    const { count, table } = mostSevereTable(fixed)
    lines.push(`Fixed (${count}):`, '', ...table, '')
  }
  if (unchanged.length > 0) {
    const { count, table } = mostSevereTable(unchanged, of)
    lines.push(`<details><summary>Unchanged, in ${name} too (${count})</summary>`, '')
    lines.push(...table, '', '</details>', '')
  }
  return lines
}

/** The most severe of `findings` in a table, and their count: "3", or "the most severe 10 of 12". */
function mostSevereTable(findings: Finding[], of?: ExploitsOf): { count: string; table: string[] } {
  const shown = mostSevere(findings, MAX_COMMENT_ROWS, of)
  const most = of ? 'riskiest' : 'most severe'
  const count =
    shown.length < findings.length
      ? `the ${most} ${shown.length} of ${findings.length}`
      : `${findings.length}`
  return { count, table: findingsTable(shown, of) }
}
