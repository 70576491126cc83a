// npm run demo [-- --out DIR]: the bundled action on a seeded ECR emulator, no AWS account needed.
// Each case runs dist/index.js on Node 24 exactly as the runner does and is checked against what
// it should do, so the demo doubles as a smoke test: it exits 1 when a case misbehaves.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  startEmulator,
  type BasicFinding,
  type EnhancedFinding,
  type Emulator,
  type SeedDocument,
} from './emulator/index.ts'
import {
  Masker,
  displayPath,
  plain,
  renderRun,
  summaryHtml,
  terminal,
  type Paint,
} from './report.ts'
import { root, runAction, type ActionRun } from './runner.ts'
import { startExploitSourcesFake } from './exploit-sources-fake.ts'

/** Long enough to show IN_PROGRESS (or PENDING) once, short enough for the next poll (2 s). */
const SCAN_MS = 1500
const HOUR_MS = 60 * 60 * 1000

export interface Expectation {
  exitCode: number
  /** Outputs that must have exactly these values. */
  outputs: Record<string, string>
  /** Text the job summary must hold, in this order. */
  summary?: string[]
  errors: number
  warnings: number
  /** StartImageScan requests the case's repository must receive. */
  startImageScans: number
}

export interface DemoCase {
  name: string
  /** What the case shows, in a line. */
  about: string
  registry: 'basic' | 'enhanced'
  inputs: Record<string, string>
  /** The checked-out repository the action reads files from (vex); by default the run's folder. */
  workspace?: string
  expect: Expectation
  /** Asks the local fake of CISA KEV and EPSS (the other cases name no exploit source). */
  exploitSources?: boolean
}

const basic = (
  name: string,
  severity: BasicFinding['severity'],
  packageName: string,
  version: string,
  score: string,
): BasicFinding => ({
  name,
  severity,
  uri: `https://nvd.nist.gov/vuln/detail/${name}`,
  description: `A ${severity.toLowerCase()} vulnerability in ${packageName}.`,
  attributes: [
    { key: 'package_name', value: packageName },
    { key: 'package_version', value: version },
    { key: 'CVSS3_SCORE', value: score },
  ],
})

const enhanced = (
  id: string,
  severity: EnhancedFinding['severity'],
  name: string,
  version: string,
  fixedInVersion: string,
  score: number,
): EnhancedFinding => ({
  findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${id}`,
  severity,
  title: `${id} - ${name}`,
  description: `${id} in ${name} ${version}.`,
  score,
  status: 'ACTIVE',
  type: 'PACKAGE_VULNERABILITY',
  fixAvailable: fixedInVersion ? 'YES' : 'NO',
  packageVulnerabilityDetails: {
    vulnerabilityId: id,
    sourceUrl: `https://nvd.nist.gov/vuln/detail/${id}`,
    vulnerablePackages: [{ name, version, fixedInVersion }],
  },
})

export const BASIC_SEED: SeedDocument = {
  images: [
    { repositoryName: 'demo/clean', tag: 'v1', scanProfile: { durationMs: SCAN_MS, findings: [] } },
    {
      repositoryName: 'demo/vulnerable',
      tag: 'v1',
      scanProfile: {
        durationMs: SCAN_MS,
        findings: [
          basic('CVE-2024-3094', 'CRITICAL', 'xz-utils', '5.6.0-0.2', '10.0'),
          basic('CVE-2023-4863', 'HIGH', 'libwebp', '1.2.4-0.1', '8.8'),
          basic('CVE-2024-2961', 'HIGH', 'glibc', '2.36-9', '7.3'),
          basic('CVE-2023-5363', 'MEDIUM', 'openssl', '3.0.11-1', '5.9'),
          basic('CVE-2023-4039', 'LOW', 'gcc-12', '12.2.0-14', '3.7'),
          basic('CVE-2022-3219', 'INFORMATIONAL', 'gnupg2', '2.2.40-1.1', '0'),
        ],
      },
    },
    {
      repositoryName: 'demo/scanned-today',
      tag: 'v1',
      // Scanned on push three hours ago: StartImageScan meets the 24-hour quota.
      scannedMsAgo: 3 * HOUR_MS,
      scanProfile: {
        findings: [basic('CVE-2023-5363', 'MEDIUM', 'openssl', '3.0.11-1', '5.9')],
      },
    },
    {
      repositoryName: 'demo/vex',
      tag: 'v1',
      scanProfile: {
        durationMs: SCAN_MS,
        findings: [
          basic('CVE-2023-4863', 'HIGH', 'libwebp', '1.2.4-0.1', '8.8'),
          basic('CVE-2023-5363', 'MEDIUM', 'openssl', '3.0.11-1', '5.9'),
        ],
      },
    },
    {
      repositoryName: 'demo/scratch',
      tag: 'v1',
      scanProfile: { durationMs: SCAN_MS, outcome: 'FAILED' },
    },
    // Exploit-aware gating, against the local fake of KEV and EPSS (real catalog and scores):
    // CVE-2023-44487 is in the KEV catalog, CVE-2022-27225 has an EPSS score of 0.0015.
    ...(['demo/kev', 'demo/epss'] as const).map((repositoryName) => ({
      repositoryName,
      tag: 'production',
      scannedMsAgo: 3 * HOUR_MS,
      scanProfile: { findings: [basic('CVE-2023-5363', 'MEDIUM', 'openssl', '3.0.11-1', '5.9')] },
    })),
    {
      repositoryName: 'demo/kev',
      tag: 'v2',
      scanProfile: {
        durationMs: SCAN_MS,
        findings: [
          basic('CVE-2023-5363', 'MEDIUM', 'openssl', '3.0.11-1', '5.9'),
          basic('CVE-2023-44487', 'MEDIUM', 'nghttp2', '1.52.0-1', '7.5'),
        ],
      },
    },
    {
      repositoryName: 'demo/epss',
      tag: 'v2',
      scanProfile: {
        durationMs: SCAN_MS,
        findings: [
          basic('CVE-2023-5363', 'MEDIUM', 'openssl', '3.0.11-1', '5.9'),
          basic('CVE-2022-27225', 'CRITICAL', 'gitea', '1.16.3', '9.8'),
        ],
      },
    },
  ],
}

const EXPAT = enhanced('CVE-2024-45490', 'HIGH', 'libexpat1', '2.5.0-1', '2.5.0-1+deb12u1', 7.5)

/** compare-to: production has two HIGH findings. */
const PRODUCTION_FINDINGS = [
  EXPAT,
  enhanced('CVE-2023-4863', 'HIGH', 'libwebp7', '1.2.4-0.2', '1.2.4-0.2+deb12u1', 8.8),
]

/** The push keeps one HIGH, fixes the libwebp7 one, and adds a CRITICAL with a known exploit. */
const PUSHED_FINDINGS = [
  EXPAT,
  {
    ...enhanced('CVE-2024-3094', 'CRITICAL', 'liblzma5', '5.6.0-0.2', '5.6.1+really5.4.5-1', 10),
    exploitAvailable: 'YES',
  },
]

export const ENHANCED_SEED: SeedDocument = {
  registryScanType: 'ENHANCED',
  images: [
    // production's findings are there at once; the push is PENDING for a while, as a fresh push is.
    {
      repositoryName: 'demo/app',
      tag: 'production',
      scanProfile: { durationMs: 0, enhancedFindings: PRODUCTION_FINDINGS },
    },
    {
      repositoryName: 'demo/app',
      tag: 'v2',
      scanProfile: { durationMs: 5000, enhancedFindings: PUSHED_FINDINGS },
    },
    {
      repositoryName: 'demo/enhanced',
      tag: 'v1',
      scanProfile: {
        // Inspector's scan runs from the push (the seeding), so PENDING must outlast the start-up.
        durationMs: 5000,
        enhancedFindings: [
          enhanced(
            'CVE-2024-6387',
            'CRITICAL',
            'openssh-server',
            '1:9.2p1-2',
            '1:9.2p1-2+deb12u3',
            8.1,
          ),
          enhanced('CVE-2024-45490', 'HIGH', 'libexpat1', '2.5.0-1', '2.5.0-1+deb12u1', 7.5),
          enhanced(
            'CVE-2024-28182',
            'MEDIUM',
            'libnghttp2-14',
            '1.52.0-1',
            '1.52.0-1+deb12u2',
            5.3,
          ),
          enhanced('CVE-2011-3374', 'UNTRIAGED', 'apt', '2.6.1', '', 0),
        ],
      },
    },
  ],
}

export const CASES: DemoCase[] = [
  {
    name: 'clean',
    about: 'A clean image: the scan starts, completes, and finds nothing.',
    registry: 'basic',
    inputs: { repository: 'demo/clean', 'image-tag': 'v1' },
    expect: {
      exitCode: 0,
      outputs: { 'scan-status': 'COMPLETE', 'scan-started': 'true', 'findings-total': '0' },
      errors: 0,
      warnings: 0,
      startImageScans: 1,
    },
  },
  {
    name: 'vulnerable',
    about: 'Six findings of five severities; fail-on-severity: high fails the step on three.',
    registry: 'basic',
    inputs: { repository: 'demo/vulnerable', 'image-tag': 'v1', 'fail-on-severity': 'high' },
    expect: {
      exitCode: 1,
      outputs: {
        'scan-status': 'COMPLETE',
        'findings-total': '6',
        critical: '1',
        high: '2',
        medium: '1',
        low: '1',
        informational: '1',
        'threshold-exceeded': 'true',
      },
      errors: 1,
      warnings: 0,
      startImageScans: 1,
    },
  },
  {
    name: 'scanned-today',
    about:
      'Already scanned today: one StartImageScan meets the quota, a warning, the old scan reported.',
    registry: 'basic',
    inputs: { repository: 'demo/scanned-today', 'image-tag': 'v1' },
    expect: {
      exitCode: 0,
      outputs: {
        'limit-exceeded': 'true',
        'scan-started': 'false',
        'scan-status': 'COMPLETE',
        medium: '1',
      },
      errors: 0,
      warnings: 1,
      startImageScans: 1,
    },
  },
  {
    name: 'scratch',
    about:
      'A scratch image: basic scanning ends FAILED; on-scan-failure: fail (the default) fails the step.',
    registry: 'basic',
    inputs: { repository: 'demo/scratch', 'image-tag': 'v1' },
    expect: {
      exitCode: 1,
      outputs: { 'scan-status': 'FAILED', 'scan-started': 'true' },
      errors: 1,
      warnings: 0,
      startImageScans: 1,
    },
  },
  {
    name: 'enhanced',
    about:
      'An ENHANCED registry (Amazon Inspector): no StartImageScan; PENDING, then ACTIVE with findings.',
    registry: 'enhanced',
    inputs: { repository: 'demo/enhanced', 'image-tag': 'v1' },
    expect: {
      exitCode: 0,
      outputs: {
        'scan-type': 'ENHANCED',
        'scan-status': 'ACTIVE',
        'scan-started': 'false',
        'findings-total': '4',
        critical: '1',
        undefined: '1',
      },
      errors: 0,
      warnings: 0,
      startImageScans: 0,
    },
  },
  {
    name: 'vex',
    about:
      "A vendor's OpenVEX statement says the HIGH finding does not affect the image (not_affected, with its reason): it leaves the verdict, so fail-on-severity: high passes, and the summary shows why.",
    registry: 'basic',
    workspace: root,
    inputs: {
      repository: 'demo/vex',
      'image-tag': 'v1',
      'fail-on-severity': 'high',
      vex: 'tools/demo.openvex.json',
    },
    expect: {
      exitCode: 0,
      outputs: {
        verdict: 'passed',
        'findings-total': '1',
        high: '0',
        medium: '1',
        'vex-suppressed': '1',
        'threshold-exceeded': 'false',
      },
      summary: [
        '<details><summary>1 finding suppressed by VEX statements (not counted above)</summary>',
        '<td><code>CVE-2023-4863</code></td><td>HIGH</td><td>libwebp</td><td>not_affected</td><td>vulnerable_code_not_in_execute_path: The service never decodes WebP images',
        'tools/demo.openvex.json statements[0]',
      ],
      errors: 0,
      warnings: 0,
      startImageScans: 1,
    },
  },
  {
    name: 'compare-to',
    about:
      'A push compared with production (compare-to, only-new): the summary leads with the CRITICAL it adds, which has a known exploit, and fail-on-severity: critical fails on it.',
    registry: 'enhanced',
    inputs: {
      repository: 'demo/app',
      'image-tag': 'v2',
      'compare-to': 'production',
      'only-new': 'true',
      'fail-on-severity': 'critical',
    },
    expect: {
      exitCode: 1,
      outputs: {
        'scan-status': 'ACTIVE',
        'findings-total': '2',
        critical: '1',
        high: '1',
        'new-findings': '1',
        'fixed-findings': '1',
        exploitable: '1',
        'threshold-exceeded': 'true',
      },
      summary: [
        '<th align="left">Baseline</th><td><code>demo/app:production</code> <code>sha256:',
        '### 1 new finding since <code>demo/app:production</code>',
        '#### 🟥 CRITICAL',
        'CVE-2024-3094</a> <b>⚠ exploit</b>',
        '### Fixed since <code>demo/app:production</code>: 1',
        'CVE-2023-4863',
        '<details><summary>1 unchanged finding, in <code>demo/app:production</code> too</summary>',
        'CVE-2024-45490',
      ],
      errors: 1,
      warnings: 0,
      startImageScans: 0,
    },
  },
  {
    name: 'kev',
    about:
      "A push adds a MEDIUM that is in CISA's Known Exploited Vulnerabilities catalog: fail-on-kev fails on it, though no severity gate would.",
    registry: 'basic',
    exploitSources: true,
    inputs: {
      repository: 'demo/kev',
      'image-tag': 'v2',
      'compare-to': 'production',
      'only-new': 'true',
      'fail-on-kev': 'true',
      'fail-on-epss': '0.1',
    },
    expect: {
      exitCode: 1,
      outputs: { 'new-findings': '1', kev: '1', verdict: 'failed' },
      summary: [
        "Exploit data</th><td>CISA's KEV catalog 2025.08.25",
        '### 1 new finding since <code>demo/kev:production</code>',
        'CVE-2023-44487</a> <b>🔥 KEV</b>',
      ],
      errors: 1,
      warnings: 0,
      startImageScans: 1,
    },
  },
  {
    name: 'epss',
    about:
      'A push adds a CRITICAL that EPSS says is unlikely to be exploited (0.0015): with only exploit gates and only-new, it does not block the push.',
    registry: 'basic',
    exploitSources: true,
    inputs: {
      repository: 'demo/epss',
      'image-tag': 'v2',
      'compare-to': 'production',
      'only-new': 'true',
      'fail-on-kev': 'true',
      'fail-on-epss': '0.1',
    },
    expect: {
      exitCode: 0,
      outputs: { 'new-findings': '1', kev: '0', 'epss-max': '0.001500000', verdict: 'passed' },
      summary: ['CVE-2022-27225</a> <b>EPSS 0.0015 (51st percentile)</b>'],
      errors: 0,
      warnings: 0,
      startImageScans: 1,
    },
  },
]

/** Where the first of `parts` missing from `text` in this order is, or undefined when all are. */
function missingInOrder(text: string, parts: string[]): string | undefined {
  let from = 0
  for (const part of parts) {
    const at = text.indexOf(part, from)
    if (at < 0) return part
    from = at + part.length
  }
  return undefined
}

/** What differs from the expectation; empty when the case behaved. */
export function checkCase(expect: Expectation, run: ActionRun, startImageScans: number): string[] {
  const problems: string[] = []
  if (run.exitCode !== expect.exitCode) {
    problems.push(`exit code ${run.exitSignal ?? run.exitCode}, expected ${expect.exitCode}`)
  }
  for (const [name, value] of Object.entries(expect.outputs)) {
    if (run.outputs[name] !== value) {
      problems.push(
        `output ${name} is ${JSON.stringify(run.outputs[name])}, expected ${JSON.stringify(value)}`,
      )
    }
  }
  const errors = run.commands('error').length
  if (errors !== expect.errors)
    problems.push(`${errors} ::error:: lines, expected ${expect.errors}`)
  // Annotations of the most severe findings (`::warning title=…`) are not warnings about the run.
  const warnings = run
    .commands('warning')
    .filter((line) => !line.startsWith('::warning title=')).length
  if (warnings !== expect.warnings)
    problems.push(`${warnings} ::warning:: lines, expected ${expect.warnings}`)
  if (startImageScans !== expect.startImageScans) {
    problems.push(`${startImageScans} StartImageScan requests, expected ${expect.startImageScans}`)
  }
  if (!run.summary.trim()) problems.push('no job summary')
  else {
    const missing = missingInOrder(run.summary, expect.summary ?? [])
    if (missing) problems.push(`the job summary lacks ${JSON.stringify(missing)} where expected`)
  }
  if (run.stderr.trim()) problems.push(`stderr is not empty: ${run.stderr.trim().split('\n')[0]}`)
  return problems
}

function startImageScansFor(emulator: Emulator, repositoryName: string): number {
  return emulator
    .requests()
    .filter((request) => request.operation === 'StartImageScan')
    .filter(
      (request) => (request.body as { repositoryName?: string }).repositoryName === repositoryName,
    ).length
}

export interface CaseOutcome {
  demoCase: DemoCase
  run: ActionRun
  problems: string[]
}

/** Runs every case at once (each against its registry), in a fresh pair of emulators. */
export async function runCases(cases: DemoCase[] = CASES): Promise<CaseOutcome[]> {
  const registries = {
    basic: await startEmulator(),
    enhanced: await startEmulator(),
  }
  const exploits = await startExploitSourcesFake()
  try {
    registries.basic.seed(BASIC_SEED)
    registries.enhanced.seed(ENHANCED_SEED)
    return await Promise.all(
      cases.map(async (demoCase) => {
        const emulator = registries[demoCase.registry]
        const sources: Record<string, string> = demoCase.exploitSources
          ? { 'kev-url': exploits.kevUrl, 'epss-url': exploits.epssUrl }
          : {}
        const run = await runAction(
          { ...demoCase.inputs, ...sources },
          {
            env: { AWS_ENDPOINT_URL_ECR: emulator.url },
            timeoutMs: 30_000,
            ...(demoCase.workspace && { workspace: demoCase.workspace }),
          },
        )
        const starts = startImageScansFor(emulator, demoCase.inputs.repository ?? '')
        return { demoCase, run, problems: checkCase(demoCase.expect, run, starts) }
      }),
    )
  } finally {
    await Promise.all([registries.basic.close(), registries.enhanced.close(), exploits.close()])
  }
}

/** Where a case's outputs are written in full. */
export function outputsFile(dir: string, demoCase: DemoCase): string {
  return join(dir, `${demoCase.name}.outputs.json`)
}

/**
 * Each summary as Markdown and HTML, each run's outputs as JSON, and one page with every summary;
 * returns the page's path.
 */
export function writeSummaries(outcomes: CaseOutcome[], dir: string): string {
  mkdirSync(dir, { recursive: true })
  const sections: string[] = []
  for (const { demoCase, run } of outcomes) {
    const title = `ecr-image-scan demo: ${demoCase.name}`
    writeFileSync(outputsFile(dir, demoCase), `${JSON.stringify(run.outputs, null, 2)}\n`)
    writeFileSync(join(dir, `${demoCase.name}.md`), run.summary)
    writeFileSync(join(dir, `${demoCase.name}.html`), summaryHtml(run.summary, title))
    sections.push(
      `<section>\n\n<p><i>${demoCase.name}: ${demoCase.about}</i></p>\n\n${run.summary}\n\n</section>`,
    )
  }
  const index = join(dir, 'index.html')
  writeFileSync(index, summaryHtml(sections.join('\n\n'), 'ecr-image-scan demo'))
  return index
}

/** One case's report; `outputs` is where its outputs are in full, named when one is shortened. */
export function renderOutcome(
  { demoCase, run, problems }: CaseOutcome,
  paint: Paint,
  outputs?: string,
): string {
  const report = {
    title: `case ${demoCase.name}`,
    about: demoCase.about,
    inputs: demoCase.inputs,
    outputsFile: outputs,
  }
  const lines = [renderRun(run, report, paint, new Masker())]
  lines.push(
    problems.length
      ? paint('red', `✖ not as expected:\n  - ${problems.join('\n  - ')}`)
      : paint('green', `✔ as expected (exit code ${demoCase.expect.exitCode})`),
  )
  return lines.join('\n')
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } })
  // npm runs scripts in the package's folder; INIT_CWD is the one the user ran npm from.
  const here = process.env.INIT_CWD ?? process.cwd()
  const out = values.out === undefined ? join(root, 'demo-output') : resolve(here, values.out)
  const paint = process.stdout.isTTY ? terminal : plain
  const started = Date.now()
  console.log(
    paint('bold', `Running dist/index.js on ${CASES.length} cases against a local ECR emulator…\n`),
  )
  const outcomes = await runCases()
  const index = writeSummaries(outcomes, out)
  const shownPath = (path: string): string => displayPath(path, here)
  for (const outcome of outcomes) {
    const outputs = shownPath(outputsFile(out, outcome.demoCase))
    console.log(`${renderOutcome(outcome, paint, outputs)}\n`)
  }
  const failed = outcomes.filter((outcome) => outcome.problems.length > 0)
  console.log(
    `Job summaries: ${shownPath(out)}/<case>.md and .html (outputs: <case>.outputs.json); all of them in ${shownPath(index)}`,
  )
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (failed.length) {
    console.log(
      paint(
        'red',
        `${failed.length} of ${outcomes.length} cases did not behave as expected: ${failed.map((o) => o.demoCase.name).join(', ')} (${seconds} s).`,
      ),
    )
    return 1
  }
  console.log(paint('green', `All ${outcomes.length} cases behaved as expected (${seconds} s).`))
  return 0
}

if (import.meta.main) {
  process.exitCode = await main()
}
