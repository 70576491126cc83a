// npm run bench: measures the bundled action as the runner runs it, against the local
// emulator, and writes BENCHMARKS.md. Timings are measured here, never asserted in tests.
//   node tools/bench/bench.ts [--quick]   (--quick: fewer samples and sizes, for a smoke run)
//   node tools/bench/bench.ts --cold-start [--baseline DIR]
//     only part 1 (sizes and cold start, about a minute), rewritten in place in BENCHMARKS.md;
//     --baseline also runs an earlier build's dist/ (e.g. `git archive REF dist | tar -x -C DIR`),
//     alternating with the current one, so a change is measured before and after on one machine.
//   node tools/bench/bench.ts --exploits
//     only part 5 (the wall time CISA KEV and EPSS add, against a local fake of both), written
//     in place in BENCHMARKS.md.
//   node tools/bench/bench.ts --vex
//     only part 6 (VEX matching, seconds), rewritten in place in BENCHMARKS.md.
//   node tools/bench/bench.ts --watch
//     only part 7 (a repository pattern: 1,000 images in 100 repositories at the emulator's
//     request limit, about 11 minutes), rewritten in place in BENCHMARKS.md.
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { ECRClient, waitUntilImageScanComplete } from '@aws-sdk/client-ecr'
import { startEmulator, type Emulator } from '../emulator/index.ts'
import { node24, root, runAction, type ActionRun } from '../runner.ts'
import { minifyScript } from '../minify.ts'
import { WAIT_POLICY } from '../../src/kernel/wait-policy.ts'
import { startExploitSourcesFake } from '../exploit-sources-fake.ts'

const quick = process.argv.includes('--quick')
const coldStartOnly = process.argv.includes('--cold-start')
const exploitsOnly = process.argv.includes('--exploits')
const vexOnly = process.argv.includes('--vex')
const watchOnly = process.argv.includes('--watch')
const baselineArg = process.argv.indexOf('--baseline')
const baselineDist = baselineArg > 0 ? process.argv[baselineArg + 1] : undefined
if (baselineDist !== undefined && !existsSync(join(baselineDist, 'index.js'))) {
  throw new Error(`--baseline ${baselineDist}: no index.js there (give a dist/ directory)`)
}
const HIGH = { name: 'CVE-2026-0001', severity: 'HIGH' as const }

const median = (values: number[]): number => quantile(values, 0.5)
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low)
}
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
const mb = (kb: number | undefined): string => (kb ? `${(kb / 1024).toFixed(0)} MB` : 'n/a')
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`)
}

function env(emulator: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return { AWS_ENDPOINT_URL_ECR: emulator.url, AWS_REGION: 'us-east-1', ...extra }
}

/** A reference script, bundled and minified like the action (dist size and start-up alike). */
async function buildReference(name: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'ecr-bench-reference-'))
  const built = spawnSync(
    join(root, 'node_modules/.bin/ncc'),
    ['build', join(root, `tools/bench/${name}.ts`), '-o', out, '--quiet'],
    { cwd: root, encoding: 'utf8' },
  )
  if (built.status !== 0) throw new Error(`could not bundle the reference: ${built.stderr}`)
  for (const file of readdirSync(out).filter((name) => name.endsWith('.js'))) {
    const minified = await minifyScript(readFileSync(join(out, file), 'utf8'), file)
    writeFileSync(join(out, file), minified.code)
  }
  return join(out, 'index.js')
}

/** Bytes of a dist/ directory: every file, and the JavaScript alone (index.js and any chunks). */
function distSizes(dir: string): { all: number; js: number } {
  const files = readdirSync(dir).map((file) => ({ file, size: statSync(join(dir, file)).size }))
  const sum = (list: typeof files) => list.reduce((total, entry) => total + entry.size, 0)
  return { all: sum(files), js: sum(files.filter(({ file }) => file.endsWith('.js'))) }
}

// 1. Cold start ----------------------------------------------------------------------------
async function coldStart(emulator: Emulator) {
  const references = {
    sdk: await buildReference('reference'),
    core: await buildReference('reference-core'),
  }
  // Start-up differs from the floor by a few hundredths of a second, less than the spread of
  // one run on a shared machine: enough rounds, each compared within itself, make it readable.
  const runs = quick ? 3 : 30
  const samples: Record<'action' | 'baseline' | 'sdk' | 'core', ActionRun[]> = {
    action: [],
    baseline: [],
    sdk: [],
    core: [],
  }
  const once = async (script?: string): Promise<ActionRun> => {
    emulator.reset()
    emulator.putImage({ repositoryName: 'bench/cold', tag: 'v1' })
    const inputs = { repository: 'bench/cold', 'image-tag': 'v1', wait: 'false' }
    return runAction(inputs, { env: env(emulator), measure: true, script })
  }
  for (let i = 0; i < runs; i++) {
    samples.action.push(await once())
    if (baselineDist) samples.baseline.push(await once(join(baselineDist, 'index.js')))
    samples.sdk.push(await once(references.sdk))
    samples.core.push(await once(references.core))
  }
  if (
    Object.values(samples)
      .flat()
      .some((run) => run.exitCode !== 0)
  ) {
    throw new Error('a cold-start run failed')
  }
  const time = (list: ActionRun[]) => median(list.map((run) => run.durationMs))
  // Each round ran the action and the floor back to back: their ratio is free of the load
  // changes between rounds that move both alike.
  const roundRatios = (list: ActionRun[]) =>
    list.map((run, i) => run.durationMs / (samples.core[i]?.durationMs ?? Number.NaN))
  const spread = (list: ActionRun[]) => {
    const ratios = roundRatios(list)
    return { median: median(ratios), p25: quantile(ratios, 0.25), p75: quantile(ratios, 0.75) }
  }
  const memory = (list: ActionRun[]) => median(list.map((run) => run.peakRssKb ?? 0))
  return {
    runs,
    actionMs: time(samples.action),
    actionRatio: spread(samples.action),
    floorMs: time(samples.sdk),
    coreMs: time(samples.core),
    actionKb: memory(samples.action),
    floorKb: memory(samples.sdk),
    coreKb: memory(samples.core),
    dist: distSizes(join(root, 'dist')),
    indexBytes: statSync(join(root, 'dist/index.js')).size,
    referenceBytes: statSync(references.sdk).size,
    coreReferenceBytes: statSync(references.core).size,
    baseline: baselineDist
      ? {
          ms: time(samples.baseline),
          ratio: spread(samples.baseline),
          kb: memory(samples.baseline),
          dist: distSizes(baselineDist),
        }
      : undefined,
  }
}

type ColdStart = Awaited<ReturnType<typeof coldStart>>

function coldStartSection(cold: ColdStart): string[] {
  const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`
  type Spread = { median: number; p25: number; p75: number }
  const paired = (r: Spread) => `${r.median.toFixed(2)}× (${r.p25.toFixed(2)}–${r.p75.toFixed(2)})`
  const row = (label: string, ms: number, kb: number, js: number, against?: Spread) => {
    const strong = (text: string) => (against ? `**${text}**` : text)
    const versus = against ? paired(against) : ratio(ms, cold.coreMs)
    return `| ${label} | ${seconds(ms)} | ${strong(versus)} | ${mb(kb)} | ${strong(megabytes(js))} |`
  }
  return [
    '## 1. Cold start (one image, `wait: false`)',
    '',
    '| | wall time | against the floor (target ≤ 1.15×) | peak memory | JavaScript (target ≤ 1.30 MB) |',
    '| --- | --- | --- | --- | --- |',
    row(
      'the action (DescribeImages, GetRegistryScanningConfiguration, StartImageScan)',
      cold.actionMs,
      cold.actionKb,
      cold.dist.js,
      cold.actionRatio,
    ),
    ...(cold.baseline
      ? [
          row(
            'the same, built from the `--baseline` dist/',
            cold.baseline.ms,
            cold.baseline.kb,
            cold.baseline.dist.js,
            cold.baseline.ratio,
          ),
        ]
      : []),
    row(
      'floor: SDK client + one StartImageScan + @actions/core (getInput, setOutput)',
      cold.coreMs,
      cold.coreKb,
      cold.coreReferenceBytes,
    ),
    row(
      'reference: SDK client + one StartImageScan alone',
      cold.floorMs,
      cold.floorKb,
      cold.referenceBytes,
    ),
    '',
    `Every script is bundled with ncc, minified and compressed as the build does it (\`tools/minify.ts\`), and started by Node 24 as the runner starts an action. @actions/core 3 imports @actions/http-client and with it undici at start-up, whatever the action uses: that alone costs ${seconds(cold.coreMs - cold.floorMs)} here, so the floor includes it. The rest of the gap is the action's two extra requests (DescribeImages to resolve the digest, GetRegistryScanningConfiguration for scan-type: auto) and its own code.`,
    '',
    `${cold.runs} rounds, each running every script once in turn. Against the floor: the median of each round's ratio to that round's floor, with the middle half of the rounds in brackets (a change within that range is noise); the other rows compare medians. \`dist/\`: ${megabytes(cold.dist.all)} in all, of which JavaScript ${megabytes(cold.dist.js)} (\`index.js\` ${megabytes(cold.indexBytes)}); the rest is the licenses and the source map of \`src/\` only. Octokit (the PR comment) is a chunk of its own, read only when a comment is written. A test keeps the JavaScript ≤ 1.30 MB, \`index.js\` ≤ 1.11 MB and \`dist/\` ≤ 2 MB.`,
    '',
  ]
}

/** BENCHMARKS.md with section 1 replaced; the other sections stay as the last full run left them. */
function withColdStartSection(previous: string, section: string[], stamp: string): string {
  const start = previous.indexOf('## 1. ')
  const end = previous.indexOf('## 2. ')
  if (start < 0 || end < start) throw new Error('BENCHMARKS.md has no section 1 to replace')
  const [heading = '', blank = '', ...rest] = section
  // Paragraphs written by hand after the generated ones (comparisons, profiles) are kept.
  const old = previous.slice(start, end)
  const last = old.search(/\n\d+ rounds, each running every script/)
  const after = last < 0 ? -1 : old.indexOf('\n\n', last + 1)
  const notes = after < 0 ? '' : old.slice(after + 2)
  return `${previous.slice(0, start)}${[heading, blank, stamp, '', ...rest].join('\n')}\n${notes}${previous.slice(end)}`
}

// 2. Detection lag -------------------------------------------------------------------------
interface LagSample {
  lagMs: number
  polls: number
  scanMs: number
}

/** The action: one run per sample; lag = step end − scan completion (emulator time = real). */
async function actionLag(
  emulator: Emulator,
  durationMs: number,
  sample: number,
): Promise<LagSample> {
  const repositoryName = `bench/lag-${durationMs}-${sample}`
  emulator.putImage({ repositoryName, tag: 'v1', scanProfile: { durationMs, findings: [HIGH] } })
  const run = await runAction(
    { repository: repositoryName, 'image-tag': 'v1', 'wait-timeout': '900' },
    { env: env(emulator), timeoutMs: 1_000_000 },
  )
  const ended = Date.now()
  if (run.exitCode !== 0) throw new Error(`lag run failed: ${run.stdout}`)
  const mine = emulator
    .requests()
    .filter(
      (entry) => (entry.body as { repositoryName?: string })?.repositoryName === repositoryName,
    )
  const startedAt = mine.find((entry) => entry.operation === 'StartImageScan')?.atMs ?? 0
  return {
    lagMs: ended - (startedAt + durationMs),
    polls: mine.filter((entry) => entry.operation === 'DescribeImageScanFindings').length,
    scanMs: durationMs,
  }
}

/** The SDK's waiter on the same lifecycle, in this process. */
async function waiterLag(
  emulator: Emulator,
  durationMs: number,
  sample: number,
): Promise<LagSample> {
  const repositoryName = `bench/waiter-${durationMs}-${sample}`
  const digest = emulator.putImage({ repositoryName, tag: 'v1', scanProfile: { durationMs } })
  let polls = 0
  const client = new ECRClient({
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
  })
  client.middlewareStack.add(
    (next) => async (args) => {
      polls++
      return next(args)
    },
    { step: 'initialize' },
  )
  const { StartImageScanCommand } = await import('@aws-sdk/client-ecr')
  await client.send(new StartImageScanCommand({ repositoryName, imageId: { imageDigest: digest } }))
  const startedAt = Date.now()
  polls = 0
  await waitUntilImageScanComplete(
    { client, maxWaitTime: 900 },
    { repositoryName, imageId: { imageDigest: digest } },
  )
  const ended = Date.now()
  client.destroy()
  return { lagMs: ended - (startedAt + durationMs), polls, scanMs: durationMs }
}

/** Lifecycles too long to wait for here, on the pollers' own schedules with a random phase. */
function simulatedLag(
  durationMs: number,
  samples: number,
  delay: (attempt: number) => number,
): LagSample[] {
  return Array.from({ length: samples }, () => {
    const scan = durationMs * (0.9 + Math.random() * 0.2)
    let t = 0
    let polls = 1
    for (let attempt = 0; t < scan; attempt++) {
      t += delay(attempt)
      polls++
    }
    return { lagMs: t - scan, polls, scanMs: scan }
  })
}

/** The SDK waiter's delay (@smithy util-waiter): random between 5 s and min(120 s, 5·2^(n−1) s). */
function waiterDelay(attempt: number): number {
  const n = attempt + 1
  const ceiling = Math.log(120 / 5) / Math.log(2) + 1
  if (n > ceiling) return 120_000
  const capped = Math.min(5000 * 2 ** (n - 1), 120_000)
  return 5000 + Math.random() * (capped - 5000)
}

async function detectionLag(emulator: Emulator) {
  const measured = quick ? [3_000, 30_000] : [3_000, 30_000, 120_000]
  const samplesFor = (ms: number) => (quick ? 2 : ms <= 3000 ? 8 : ms <= 30_000 ? 4 : 3)
  const jobs: Promise<{ who: string; ms: number; sample: LagSample }>[] = []
  for (const ms of measured) {
    for (let i = 0; i < samplesFor(ms); i++) {
      // Staggered starts give the samples different phases against the poll schedule.
      const stagger = i * 700
      jobs.push(
        new Promise((r) => setTimeout(r, stagger)).then(async () => ({
          who: 'action',
          ms,
          sample: await actionLag(emulator, ms, i),
        })),
      )
      jobs.push(
        new Promise((r) => setTimeout(r, stagger)).then(async () => ({
          who: 'waiter',
          ms,
          sample: await waiterLag(emulator, ms, i),
        })),
      )
    }
  }
  const done = await Promise.all(jobs)
  const rows = [...measured, 600_000].map((ms) => {
    const pick = (who: string): LagSample[] =>
      ms === 600_000
        ? simulatedLag(ms, 500, who === 'action' ? WAIT_POLICY.pollDelayMs : waiterDelay)
        : done.filter((job) => job.who === who && job.ms === ms).map((job) => job.sample)
    const summarise = (samples: LagSample[]) => ({
      p50: quantile(
        samples.map((s) => s.lagMs),
        0.5,
      ),
      p95: quantile(
        samples.map((s) => s.lagMs),
        0.95,
      ),
      max: Math.max(...samples.map((s) => s.lagMs)),
      polls: median(samples.map((s) => s.polls)),
      perTwoSeconds: median(
        samples.map((s) => (s.polls * 2000) / (s.scanMs + Math.max(0, s.lagMs))),
      ),
      n: samples.length,
    })
    return {
      ms,
      simulated: ms === 600_000,
      action: summarise(pick('action')),
      waiter: summarise(pick('waiter')),
    }
  })
  return rows
}

// 3. Scale -----------------------------------------------------------------------------------
async function scale(emulator: Emulator) {
  const sizes = quick ? [1, 10] : [1, 10, 100, 300]
  const rate = 5
  const durationMs = 3000
  const rows = []
  for (const size of [...sizes, 'index' as const]) {
    emulator.reset()
    emulator.setRateLimit(rate)
    let inputs: Record<string, string>
    let needed: number
    if (size === 'index') {
      emulator.putImageIndex({
        repositoryName: 'bench/scale',
        tag: 'multi',
        attestation: true,
        platforms: ['amd64', 'arm64', 'ppc64le', 's390x'].map((architecture) => ({
          os: 'linux',
          architecture,
        })),
      })
      emulator.setScanProfile({ repositoryName: 'bench/scale' }, { durationMs, findings: [HIGH] })
      inputs = { repository: 'bench/scale', 'image-tag': 'multi' }
      // DescribeImages, BatchGetImage, the registry's scan type, then per platform a start and a poll.
      needed = 3 + 4 * 2
    } else {
      const tags = Array.from({ length: size }, (_, i) => `t${i}`)
      for (const tag of tags)
        emulator.putImage({
          repositoryName: 'bench/scale',
          tag,
          scanProfile: { durationMs, findings: [HIGH] },
        })
      inputs = { repository: 'bench/scale', 'image-tag': tags.join('\n') }
      needed = 1 + size * 3
    }
    emulator.clearLog()
    const run = await runAction(
      { ...inputs, 'wait-timeout': '900' },
      { env: env(emulator), measure: true, timeoutMs: 1_000_000 },
    )
    const requests = emulator.requests()
    const results = JSON.parse(run.outputs.results ?? '[]') as { failure?: string }[]
    const optimumMs = Math.max((needed / rate) * 1000, durationMs)
    rows.push({
      size: size === 'index' ? '4-platform index' : `${size} image${size === 1 ? '' : 's'}`,
      wallMs: run.durationMs,
      optimumMs,
      requests: requests.length,
      needed,
      throttled: requests.filter((entry) => entry.errorName === 'ThrottlingException').length,
      failures:
        run.exitCode === 0
          ? results.filter((entry) => entry.failure).length
          : Math.max(1, results.length),
      peakKb: run.peakRssKb,
    })
    log(`scale ${rows.at(-1)?.size}: ${seconds(run.durationMs)}`)
  }
  emulator.setRateLimit(undefined)
  return rows
}

// 4. Findings volume -------------------------------------------------------------------------
async function volume(emulator: Emulator) {
  const count = 10_000
  const findings = Array.from({ length: count }, (_, i) => ({
    severity: (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const)[i % 4] ?? 'LOW',
    title: `CVE-2026-${i} - package-${i}`,
    description: 'A vulnerability description of a realistic length. '.repeat(6),
    packageVulnerabilityDetails: {
      vulnerabilityId: `CVE-2026-${i}`,
      sourceUrl: `https://nvd.nist.gov/vuln/detail/CVE-2026-${i}`,
      vulnerablePackages: [{ name: `package-${i}`, version: '1.0.0', fixedInVersion: '1.0.1' }],
    },
  }))
  const rows = []
  for (const rps of ['5', '50']) {
    emulator.reset()
    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({
      repositoryName: 'bench/volume',
      tag: 'v1',
      scanProfile: { durationMs: 0, enhancedFindings: findings },
    })
    const run = await runAction(
      { repository: 'bench/volume', 'image-tag': 'v1', 'requests-per-second': rps },
      { env: env(emulator), measure: true, timeoutMs: 600_000 },
    )
    const pages = emulator
      .requests()
      .filter((entry) => entry.operation === 'DescribeImageScanFindings').length
    rows.push({
      rps,
      wallMs: run.durationMs,
      peakKb: run.peakRssKb,
      summaryBytes: Buffer.byteLength(run.summary),
      pages,
      exitCode: run.exitCode,
    })
  }
  return { count, rows }
}

// 5. Exploit sources ------------------------------------------------------------------------
/**
 * The wall time the exploit sources add to a step: one basic image with `n` distinct CVEs, run
 * in turn with exploit-sources: none and against the local fake of KEV and EPSS (the real
 * catalog sample, every CVE scored), each pair on a freshly seeded emulator.
 */
async function exploitSources(emulator: Emulator) {
  const rounds = quick ? 3 : 9
  const rows = []
  for (const n of [1, 300]) {
    const fake = await startExploitSourcesFake()
    const findings = Array.from({ length: n }, (_, i) => {
      const cve = `CVE-2026-${String(10_000 + i)}`
      fake.scores.set(cve, { epss: '0.000430000', percentile: '0.100000000' })
      return {
        name: cve,
        severity: 'MEDIUM' as const,
        attributes: [{ key: 'package_name', value: `package-${i}` }],
      }
    })
    const off: number[] = []
    const on: number[] = []
    const added: number[] = []
    let requests = 0
    for (let round = 0; round < rounds; round++) {
      const times: Record<string, number> = {}
      // Alternate which goes first, so a drift of the machine's load falls on both.
      const order = round % 2 === 0 ? ['none', 'fake'] : ['fake', 'none']
      for (const mode of order) {
        emulator.reset()
        emulator.putImage({
          repositoryName: 'bench/exploits',
          tag: 'v1',
          scanProfile: { durationMs: 0, findings },
        })
        const before = fake.requests.length
        const sources: Record<string, string> =
          mode === 'none'
            ? { 'exploit-sources': 'none' }
            : { 'kev-url': fake.kevUrl, 'epss-url': fake.epssUrl, 'fail-on-kev': 'true' }
        const run = await runAction(
          { repository: 'bench/exploits', 'image-tag': 'v1', ...sources },
          { env: env(emulator) },
        )
        if (run.exitCode !== 0) throw new Error(`exploit bench (${mode}, ${n}): ${run.stdout}`)
        times[mode] = run.durationMs
        if (mode === 'fake') requests = fake.requests.length - before
      }
      off.push(times.none ?? 0)
      on.push(times.fake ?? 0)
      added.push((times.fake ?? 0) - (times.none ?? 0))
    }
    await fake.close()
    rows.push({
      n,
      off: quantile(off, 0.5),
      on: quantile(on, 0.5),
      added: quantile(added, 0.5),
      low: quantile(added, 0.25),
      high: quantile(added, 0.75),
      requests,
      rounds,
    })
  }
  return rows
}

function exploitsSection(
  rows: Awaited<ReturnType<typeof exploitSources>>,
  stamp: string,
): string[] {
  return [
    '## 5. Exploit sources (CISA KEV and EPSS, against a local fake)',
    '',
    stamp,
    '',
    '| distinct CVEs | step, exploit-sources: none | step, KEV and EPSS asked | added (middle half of the pairs) | requests to the sources |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.n} | ${seconds(row.off)} | ${seconds(row.on)} | **${seconds(row.added)}** (${seconds(row.low)} – ${seconds(row.high)}) | ${row.requests} |`,
    ),
    '',
    `One basic image whose findings carry that many distinct CVEs, ${rows[0]?.rounds ?? 0} pairs of runs each, alternating which runs first: the step with \`exploit-sources: none\`, and with \`fail-on-kev: true\` against \`tools/exploit-sources-fake.ts\` on loopback (the real 36-entry catalog sample; every CVE scored). "Added" is the median of the pairs' differences. It measures the action's own cost (loading the exploits chunk, one catalog download and parse, ${'`'}ceil(n / 100)${'`'} EPSS requests, the lookups and the longer report); CISA's and FIRST's own latency over the internet comes on top (the catalog is about 1.3 MB), bounded by the 10 s timeout and one retry per request.`,
    '',
  ]
}

// 7. Watching a registry ---------------------------------------------------------------------
async function watchRegistry(emulator: Emulator) {
  const repositories = quick ? 10 : 100
  const tagsEach = 10
  const rate = 5
  const durationMs = 1000
  emulator.reset()
  emulator.setRateLimit(rate)
  const tags = Array.from({ length: tagsEach }, (_, i) => `t${i}`)
  for (let r = 0; r < repositories; r++) {
    const repositoryName = `bench/watch-${String(r).padStart(3, '0')}`
    for (const tag of tags) {
      emulator.putImage({ repositoryName, tag, scanProfile: { durationMs, findings: [HIGH] } })
    }
  }
  // Repositories the pattern must not take.
  emulator.putImage({ repositoryName: 'other/api', tag: 't0' })
  emulator.clearLog()
  const images = repositories * tagsEach
  const run = await runAction(
    { repository: 'bench/*', 'image-tag': tags.join(','), 'wait-timeout': '1800' },
    { env: env(emulator), measure: true, timeoutMs: 3_000_000 },
  )
  const requests = emulator.requests()
  const count = (operation: string) =>
    requests.filter((entry) => entry.operation === operation).length
  // Listing: one DescribeRepositories page, one DescribeImages page per repository; the
  // registry's scan type once; per image, the read of its last scan (reused when recent), the
  // start and one read of the findings.
  const needed = 1 + repositories + 1 + images * 3
  const results = JSON.parse(run.outputs.results ?? '[]') as { failure?: string }[]
  const outputsBytes = Object.entries(run.outputs).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
    0,
  )
  const row = {
    images,
    repositories,
    wallMs: run.durationMs,
    optimumMs: (needed / rate) * 1000,
    requests: requests.length,
    needed,
    byOperation: [
      'DescribeRepositories',
      'DescribeImages',
      'GetRegistryScanningConfiguration',
      'StartImageScan',
      'DescribeImageScanFindings',
    ].map((operation) => `${operation} ${count(operation)}`),
    throttled: requests.filter((entry) => entry.errorName === 'ThrottlingException').length,
    failures:
      run.exitCode === 0
        ? results.filter((entry) => entry.failure).length
        : Math.max(1, results.length),
    exitCode: run.exitCode,
    peakKb: run.peakRssKb,
    summaryBytes: Buffer.byteLength(run.summary),
    outputsBytes,
    rate,
  }
  emulator.setRateLimit(undefined)
  if (run.exitCode !== 0) log(`watch run failed: ${run.stdout.slice(-2000)}`)
  return row
}

type WatchRow = Awaited<ReturnType<typeof watchRegistry>>

function watchSection(row: WatchRow, stamp: string): string[] {
  return [
    `## 7. Watching a registry (\`repository: bench/*\`, ${row.images.toLocaleString('en')} images in ${row.repositories} repositories, emulator limited to ${row.rate} requests per second)`,
    '',
    stamp,
    '',
    '| wall time | optimum | ratio (target ≤ 1.05×) | requests (needed) | throttled | failures | peak memory (≤ 256 MB) | summary (≤ 1 MiB) | outputs (≤ 1 MB) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${seconds(row.wallMs)} | ${seconds(row.optimumMs)} | **${ratio(row.wallMs, row.optimumMs)}** | ${row.requests} (${row.needed}) | ${row.throttled} | ${row.failures} | ${mb(row.peakKb)} | ${(row.summaryBytes / 1024).toFixed(1)} KiB | ${(row.outputsBytes / 1024).toFixed(1)} KiB |`,
    '',
    `Requests by operation: ${row.byOperation.join(', ')}. Optimum: the requests a run cannot avoid divided by the rate: one DescribeRepositories page, one DescribeImages page per repository (the listing describes every image, so none is described again), one GetRegistryScanningConfiguration, and per image the read of its last scan (a scan of the last 24 hours is reported instead of asking for another), StartImageScan and one DescribeImageScanFindings. Scans take 1 s, far less than the wait for a turn at the rate. It leaves out process start-up. The request budget (\`requests-per-second\`, 5 by default) is the emulator's limit here, so any request beyond it would show as throttled.`,
    '',
  ]
}

// 6. VEX matching ------------------------------------------------------------------------------
interface VexCase {
  documentBytes: number
  readMs: number
  matchMs: number
  maxMatchMs: number
  suppressed: number
}

/** tools/bench/vex-match.ts, bundled like the action and run on Node 24: its timings. */
async function vexMatching() {
  const script = await buildReference('vex-match')
  const run = spawnSync(node24(), [script], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`vex-match failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as {
    findings: number
    statements: number
    rounds: number
    distinct: VexCase
    same: VexCase
  }
}

function vexSection(vex: Awaited<ReturnType<typeof vexMatching>>): string[] {
  const ms = (value: number) => `${value.toFixed(1)} ms`
  const row = (label: string, c: VexCase) =>
    `| ${label} | ${(c.documentBytes / 1024).toFixed(0)} KiB | ${ms(c.readMs)} | **${ms(c.matchMs)}** (max ${ms(c.maxMatchMs)}) | ${c.suppressed.toLocaleString('en')} |`
  return [
    `## 6. VEX matching (${vex.findings.toLocaleString('en')} findings × ${vex.statements.toLocaleString('en')} statements, one image)`,
    '',
    '| statements | document | read (parse, package URLs) | match (target well under 1 s) | suppressed |',
    '| --- | --- | --- | --- | --- |',
    row('one vulnerability each, three findings each', vex.distinct),
    row('all about one vulnerability, each about one package', vex.same),
    '',
    `In one process, as the action reads the \`vex\` documents once and applies them to each image (\`tools/bench/vex-match.ts\`, bundled like the action, run on Node 24); medians of ${vex.rounds} rounds. Each statement names the image by \`repository_url\` and one package as its subcomponent. Statements are indexed by vulnerability and alias once per step, and routed by package once per image, so a finding meets only the statements about its ID and its packages; in the second row every finding and every statement is about one vulnerability (checking each finding against each statement took 19 s there). No AWS request is made for VEX.`,
    '',
  ]
}

/** The text of section `number` of BENCHMARKS.md (to the next section or the end), or ''. */
function sectionOf(previous: string, number: number): string {
  const start = previous.indexOf(`## ${number}. `)
  if (start < 0) return ''
  const end = previous.indexOf('\n## ', start)
  return end < 0 ? previous.slice(start) : previous.slice(start, end + 1)
}

/** A section kept from the previous BENCHMARKS.md, as lines of the new one (none when missing). */
function kept(section: string): string[] {
  return section ? [section.trimEnd(), ''] : []
}

/** `previous` with section `number` replaced by `lines`, or added in order when it is missing. */
function withSection(previous: string, number: number, lines: string[]): string {
  const text = `${lines.join('\n').trimEnd()}\n`
  const old = sectionOf(previous, number)
  if (old) return previous.replace(old, previous.endsWith(old) ? text : `${text}\n`)
  const next = [...previous.matchAll(/^## (\d+)\. /gm)].find((m) => Number(m[1]) > number)
  if (next?.index === undefined) return `${previous.trimEnd()}\n\n${text}`
  return `${previous.slice(0, next.index)}${text}\n${previous.slice(next.index)}`
}

// Report ---------------------------------------------------------------------------------------
const started = Date.now()
const emulator = await startEmulator()
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout.trim()}; ${process.platform}`
try {
  if (exploitsOnly) {
    log('exploit sources')
    const rows = await exploitSources(emulator)
    const stamp = `Measured by \`npm run bench -- --exploits\` on ${new Date().toISOString().slice(0, 10)}, in ${seconds(Date.now() - started)}, at a load average of ${loadavg()[0]?.toFixed(1)}. Machine: ${machine}.`
    const file = join(root, 'BENCHMARKS.md')
    const section = exploitsSection(rows, stamp)
    writeFileSync(file, withSection(readFileSync(file, 'utf8'), 5, section))
    process.stdout.write(section.join('\n'))
    process.exit(0)
  }
  if (vexOnly) {
    log('VEX matching')
    const file = join(root, 'BENCHMARKS.md')
    const stamp = `This section alone was measured by \`npm run bench -- --vex\` on ${new Date().toISOString().slice(0, 10)}, at a load average of ${loadavg()[0]?.toFixed(1)}. Machine: ${machine}.`
    const [heading = '', blank = '', ...rest] = vexSection(await vexMatching())
    const section = [heading, blank, stamp, '', ...rest]
    writeFileSync(file, withSection(readFileSync(file, 'utf8'), 6, section))
    process.stdout.write(section.join('\n'))
    process.exit(0)
  }
  if (watchOnly) {
    log('watching a registry')
    const row = await watchRegistry(emulator)
    const file = join(root, 'BENCHMARKS.md')
    const stamp = `Measured by \`npm run bench -- --watch${quick ? ' --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}, in ${seconds(Date.now() - started)}, at a load average of ${loadavg()[0]?.toFixed(1)}. Machine: ${machine}.`
    const section = watchSection(row, stamp)
    if (!quick) writeFileSync(file, withSection(readFileSync(file, 'utf8'), 7, section))
    process.stdout.write(section.join('\n'))
    process.exit(0)
  }
  log('cold start')
  const cold = await coldStart(emulator)
  if (coldStartOnly) {
    const file = join(root, 'BENCHMARKS.md')
    const stamp = `This section alone was measured by \`npm run bench -- --cold-start${baselineDist ? ` --baseline ${baselineDist}` : ''}\` on ${new Date().toISOString().slice(0, 10)}, in ${seconds(Date.now() - started)}, at a load average of ${loadavg()[0]?.toFixed(1)}. Machine: ${machine}.`
    const section = coldStartSection(cold)
    writeFileSync(file, withColdStartSection(readFileSync(file, 'utf8'), section, stamp))
    process.stdout.write(`${stamp}\n\n${section.join('\n')}`)
  } else {
    // Both mostly wait (on scans, or on the 5 rps limit), so they share the 10-minute budget by
    // running at once, each on an emulator of its own.
    log('detection lag and scale')
    emulator.reset()
    const second = await startEmulator()
    const [lag, scaleRows] = await Promise.all([detectionLag(emulator), scale(second)]).finally(
      () => second.close(),
    )
    const previous = existsSync(join(root, 'BENCHMARKS.md'))
      ? readFileSync(join(root, 'BENCHMARKS.md'), 'utf8')
      : ''
    log('findings volume')
    emulator.reset()
    const vol = await volume(emulator)
    const lines = [
      '# Benchmarks',
      '',
      `Written by \`npm run bench\` (${quick ? 'quick run' : 'full run'}) on ${new Date().toISOString().slice(0, 10)}, in ${seconds(Date.now() - started)}.`,
      `Machine: ${machine}.`,
      'Each figure runs `dist/index.js` on Node 24 as the runner does, against the local emulator (`tools/emulator`) on loopback. Medians unless said otherwise.',
      '',
      ...coldStartSection(cold),
      '## 2. Detection lag (scan turns COMPLETE → step ends)',
      '',
      '| scan takes | action p50 / p95 / max | action polls (per 2 s) | SDK waiter p50 / p95 / max | waiter polls |',
      '| --- | --- | --- | --- | --- |',
      ...lag.map(
        (row) =>
          `| ${row.ms / 1000} s${row.simulated ? ' (simulated)' : ''} | ${seconds(row.action.p50)} / **${seconds(row.action.p95)}** / ${seconds(row.action.max)} | ${row.action.polls} (${row.action.perTwoSeconds.toFixed(2)}) | ${seconds(row.waiter.p50)} / ${seconds(row.waiter.p95)} / ${seconds(row.waiter.max)} | ${row.waiter.polls} |`,
      ),
      '',
      "Target: action p95 ≤ 3 s with at most one request per 2 s per image. Measured rows run the bundle and `waitUntilImageScanComplete` on the same emulator lifecycles, several samples with staggered starts; the 600 s row replays both pollers' schedules (ours from `src/wait.ts`, the waiter's exponential back-off with jitter from 5 s to 120 s) against 500 random completion times, because waiting 10 minutes per sample does not fit the 10-minute budget of this script.",
      '',
      '## 3. Scale (emulator limited to 5 requests per second, scans take 3 s)',
      '',
      '| images | wall time | optimum | ratio (target ≤ 1.25×) | requests (needed) | throttled | failures | peak memory |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...scaleRows.map(
        (row) =>
          `| ${row.size} | ${seconds(row.wallMs)} | ${seconds(row.optimumMs)} | **${ratio(row.wallMs, row.optimumMs)}** | ${row.requests} (${row.needed}) | ${row.throttled} | ${row.failures} | ${mb(row.peakKb)} |`,
      ),
      '',
      'Optimum: the requests a run cannot avoid (DescribeImages, StartImageScan and one DescribeImageScanFindings per image, one GetRegistryScanningConfiguration) divided by the rate, or the scan time when that is longer; it leaves out process start-up and the poll interval (a scan is seen within 2–3 s of finishing), which dominate the small rows; from 100 images on, the rate is the bound.',
      '',
      `## 4. Findings volume (one enhanced image, ${vol.count.toLocaleString('en')} findings, 100 per page)`,
      '',
      '| requests-per-second | wall time | pages read | peak memory (target ≤ 150 MB) | summary size (≤ 1 MiB) |',
      '| --- | --- | --- | --- | --- |',
      ...vol.rows.map(
        (row) =>
          `| ${row.rps} | ${seconds(row.wallMs)} | ${row.pages} | ${mb(row.peakKb)} | ${(row.summaryBytes / 1024).toFixed(1)} KiB |`,
      ),
      '',
      'The scan is already ACTIVE, so the wall time is the time after completion. The default rate (5) spends 20 s on 100 pages; the pages are the price of listing every finding.',
      '',
      // The exploit sources' and the watch's sections take their own runs: kept as they were.
      ...kept(sectionOf(previous, 5)),
      ...vexSection(await vexMatching()),
      ...kept(sectionOf(previous, 7)),
    ]
    const text = lines.join('\n')
    writeFileSync(join(root, quick ? 'BENCHMARKS.quick.md' : 'BENCHMARKS.md'), text)
    process.stdout.write(text)
  }
} finally {
  await emulator.close()
}
