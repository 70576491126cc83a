// Hostile data from ECR: finding names, descriptions and package names carrying HTML, Markdown
// table breakers, workflow commands, newlines and 1 MB strings. The summary stays valid, escaped
// and under GitHub's 1 MiB; the log issues no workflow command but the action's own.
import { expect, it } from '@jest/globals'
import { marked } from 'marked'
import type { BasicFinding, EnhancedFinding } from '../tools/emulator/index.ts'
import { withEmulator } from './helpers/emulator.js'
import { emulatorEnv, expectFailure, expectSettled } from './helpers/reliability.js'
import { runAction, type ActionRun } from './helpers/run-action.js'

const MIB = 1024 * 1024
const HUGE = 'A'.repeat(MIB)
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '</td></tr></table><script>alert(1)</script>',
  '| broken | table |',
  '::error::pwned',
  'line\n::warning::pwned',
  'line\r\n## pwned heading',
  '%0A::error::pwned',
  '[click](javascript:alert(1)) **bold** `code`',
  '\u001b[31mred\u001b[0m \u2028::notice::pwned',
]

const basicFindings: BasicFinding[] = [
  ...HOSTILE.map((text, i) => ({
    name: `${text} CVE-${i}`,
    severity: 'HIGH' as const,
    description: `${text} ${text}`,
    uri: i === 0 ? 'javascript:alert(1)' : 'https://example.com/"onmouseover="alert(1)',
    attributes: [
      { key: 'package_name', value: text },
      { key: 'package_version', value: `1.0 ${text}` },
    ],
  })),
  {
    name: HUGE,
    severity: 'CRITICAL',
    description: HUGE,
    attributes: [
      { key: 'package_name', value: HUGE },
      { key: 'package_version', value: HUGE },
    ],
  },
  // More rows than the summary shows, to reach the row limit with hostile text.
  ...Array.from({ length: 60 }, (_, i) => ({
    name: `CVE-2024-${i} ${HOSTILE[i % HOSTILE.length]}`,
    severity: 'MEDIUM' as const,
    attributes: [{ key: 'package_name', value: `${HOSTILE[i % HOSTILE.length]}` }],
  })),
]

const enhancedFindings: EnhancedFinding[] = [
  ...HOSTILE.map((text, i) => ({
    severity: 'CRITICAL' as const,
    title: text,
    description: text,
    packageVulnerabilityDetails: {
      vulnerabilityId: `${text}-${i}`,
      sourceUrl: `https://example.com/${text}`,
      vulnerablePackages: [{ name: text, version: text, fixedInVersion: text }],
    },
  })),
  {
    severity: 'HIGH',
    title: HUGE,
    description: HUGE,
    packageVulnerabilityDetails: {
      vulnerabilityId: HUGE,
      vulnerablePackages: [{ name: HUGE, version: HUGE, fixedInVersion: HUGE }],
    },
  },
]

const ALLOWED_TAG =
  /^(?:<\/?(?:table|tr|th|td|b|code)>|<th align="left">|<td align="right">|<a href="https?:\/\/[^"<>\s]*">|<\/a>)$/

/** Every tag is one the renderer writes, every table line a whole row, every heading ours. */
function expectSafeSummary(summary: string): void {
  expect(Buffer.byteLength(summary)).toBeLessThan(MIB)
  for (const tag of summary.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(ALLOWED_TAG)
  const lines = summary.split('\n')
  let inTable = false
  for (const line of lines) {
    if (line === '<table>') inTable = true
    else if (line === '</table>') inTable = false
    else if (inTable) expect(line).toMatch(/^<tr>.*<\/tr>$/s)
    if (line.startsWith('#')) {
      expect(line).toMatch(
        /^## (✅|⚠️|❌) ECR image scan|^### [A-Z]|^#### \S+ (CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL|UNDEFINED)$/,
      )
    }
    if (line.startsWith('>')) expect(line).toMatch(/^> (\[!(CAUTION|WARNING)\]|[^\n]*)$/)
  }
  // Control characters are gone (U+2028 is no line break to Markdown, so it may stay).
  // eslint-disable-next-line no-control-regex
  expect(summary).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/)
  // Rendered as GitHub would, it has no active content.
  const html = marked.parse(summary, { async: false, gfm: true })
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    expect(tag).not.toMatch(/^<(script|img|iframe)|\son\w+=|href="(?!https?:)/i)
  }
}

/** No line of the log is a workflow command other than those the action itself issues. */
function expectOnlyOwnCommands(run: ActionRun, own: RegExp[]): void {
  const lines = run.stdout.split(/\r?\n/)
  // Annotations of the most severe findings are the action's own too: one line each, no
  // control characters (ANSI colours included) from ECR's data.
  const annotations = lines.filter((line) => /^::(warning|notice) title=/.test(line))
  // eslint-disable-next-line no-control-regex
  for (const line of annotations) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
  expect(annotations.length).toBeLessThanOrEqual(11)
  // Each image's log group is the action's own: its title is the image as the user named it.
  const groups = lines.filter((line) =>
    /^::(group::team\/api:v1 \(us-east-1\)|endgroup::)$/.test(line),
  )
  const commands = lines.filter(
    (line) => line.startsWith('::') && !annotations.includes(line) && !groups.includes(line),
  )
  expect(commands).toHaveLength(own.length)
  commands.forEach((line, i) => expect(line).toMatch(own[i] as RegExp))
  expect(run.stdout).not.toMatch(/^::[a-z-]+::pwned/m)
  expect(run.stdout).not.toMatch(/[\r\u2028]/)
}

const { emulator } = withEmulator()

const INPUTS = { repository: 'team/api', 'image-tag': 'v1', 'wait-timeout': '10' }

it('keeps basic findings from breaking the summary or the log', async () => {
  emulator.putImage({
    repositoryName: 'team/api',
    tag: 'v1',
    scanProfile: {
      durationMs: 0,
      findings: basicFindings,
      description: `<b>done</b>\n::error::pwned ${HOSTILE.join(' ')}`,
    },
  })
  const run = await runAction(INPUTS, { env: emulatorEnv(emulator) })
  expectSettled(run)
  expect(run.exitCode).toBe(0)
  expect(run.outputs).toMatchObject({ 'findings-total': `${basicFindings.length}`, critical: '1' })
  expectSafeSummary(run.summary)
  expect(run.summary).toContain('&lt;img src=x onerror=alert(1)&gt;')
  expect(run.summary).toContain('Most severe findings (50 of 70)')
  expectOnlyOwnCommands(run, [/^::add-mask::/])
}, 30_000)

it('keeps enhanced findings from breaking the summary or the log, and fails in one line', async () => {
  emulator.setRegistryScanType('ENHANCED')
  emulator.putImage({
    repositoryName: 'team/api',
    tag: 'v1',
    scanProfile: { durationMs: 0, enhancedFindings },
  })
  const run = await runAction(
    { ...INPUTS, 'fail-on-severity': 'critical' },
    { env: emulatorEnv(emulator) },
  )
  expectFailure(run, /^::error::9 findings at or above CRITICAL/)
  expect(run.outputs).toMatchObject({ 'scan-type': 'ENHANCED', critical: '9', high: '1' })
  expectSafeSummary(run.summary)
  expectOnlyOwnCommands(run, [/^::add-mask::/, /^::error::9 findings/])
}, 30_000)

it('keeps a hostile FAILED description on the one error line', async () => {
  emulator.putImage({
    repositoryName: 'team/api',
    tag: 'v1',
    scanProfile: {
      durationMs: 0,
      outcome: 'FAILED',
      description: `bad\n::error::pwned\r\n<script>alert(1)</script> | x | \u001b[31mred`,
    },
  })
  const run = await runAction(INPUTS, { env: emulatorEnv(emulator) })
  const error = expectFailure(run, /ended FAILED: bad ::error::pwned <script>/)
  // No ANSI escape from ECR reaches the log (the status line) or the error line.
  expect(run.stdout).toContain('Scan status: FAILED (bad ::error::pwned')
  expect(run.stdout).not.toContain('\u001b')
  expectSafeSummary(run.summary)
  expectOnlyOwnCommands(run, [/^::add-mask::/, /^::error::The scan of team\/api:v1 ended FAILED/])
  expect(error).not.toMatch(/[\r\n]/)
}, 30_000)
