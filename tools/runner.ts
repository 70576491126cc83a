// Runs the committed bundle (dist/index.js) on Node 24 exactly as the GitHub runner does: inputs
// as INPUT_* variables with action.yml's defaults, outputs and summary as files. Used by the
// end-to-end tests, `npm run demo` and `npm run local`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inputDefaults } from './action-inputs.ts'

export interface ActionRun {
  exitCode: number | null
  /** The signal that ended the process, if one did (the timeout kills with SIGKILL). */
  exitSignal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  durationMs: number
  /** Peak resident memory in KiB, with `measure` where /usr/bin/time exists. */
  peakRssKb?: number
  /** The run's own folder (HOME, the output and summary files, RUNNER_TEMP by default). */
  tempDir: string
  /** Lines of the log that are workflow commands of this kind (error, warning, notice). */
  commands(kind: string): string[]
}

export interface RunOptions {
  /** Extra environment (AWS_ENDPOINT_URL_ECR, RUNNER_DEBUG, …), over the base environment. */
  env?: Record<string, string>
  /**
   * Start from the caller's environment (its AWS credentials, profile and region), as
   * `npm run local` does. By default the run sees only PATH and fake credentials, so that no
   * profile file, instance metadata or real account can leak into a test or the demo.
   */
  inheritEnv?: boolean
  /** Called once the process has started, e.g. to send it a signal. */
  onStart?: (child: ChildProcess) => void
  /** Called with each piece of stdout as it arrives, e.g. to show a long run's log live. */
  onStdout?: (chunk: string) => void
  /** Run this script instead of dist/index.js (the benchmarks' reference script). */
  script?: string
  /** Measure the process's peak memory with /usr/bin/time (the benchmarks). */
  measure?: boolean
  /** Keep the run's folder after the run, to read files the action wrote there (findings-file). */
  keepTempDir?: boolean
  /**
   * The folder the action runs in and resolves relative paths from (ignore-file, sarif-file), as
   * the runner's GITHUB_WORKSPACE, the checked-out repository. By default the run's own folder.
   */
  workspace?: string
  /** RUNNER_TEMP, where the action writes its findings file; by default the run's own folder. */
  runnerTemp?: string
  /**
   * Set GITHUB_ACTIONS=true as a runner does (the default). `npm run local` does not: there the
   * action is in a shell, and its advice must fit one.
   */
  onRunner?: boolean
  /** Killed with SIGKILL after this long (default 60 s). */
  timeoutMs?: number
}

const TIME = '/usr/bin/time'
const RSS_MARK = '__ecr_image_scan_peak_rss_kb='

export const root = fileURLToPath(new URL('..', import.meta.url))

/** Credentials the emulator accepts unchecked; never real ones. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret-key-do-not-print',
}

// Variables the runner sets per step: a local run inside a workflow must not write to that
// step's files, and inputs come only from the caller's `inputs`.
const RUNNER_FILES = [
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_STATE',
  'GITHUB_ENV',
  'GITHUB_PATH',
]

/** The Node 24 binary the `node` npm package installs (the runner's runtime is node24). */
export function node24(): string {
  const binary = join(root, 'node_modules/.bin/node')
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim()
  if (!version?.startsWith('v24.')) {
    throw new Error(`${binary} is ${version || 'missing'}, not Node 24: run npm ci`)
  }
  return binary
}

/** The runner's variable for an input: upper-cased, spaces to `_`, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** Reads a GITHUB_OUTPUT file (`name<<DELIMITER` blocks, as @actions/core writes them). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name = '', delimiter] = match
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}

function baseEnvironment(dir: string, inherit: boolean): Record<string, string> {
  if (inherit) {
    const env: Record<string, string> = {}
    for (const [name, value] of Object.entries(process.env)) {
      if (value === undefined || name.startsWith('INPUT_') || RUNNER_FILES.includes(name)) continue
      env[name] = value
    }
    return env
  }
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    ...FAKE_CREDENTIALS,
    AWS_REGION: 'us-east-1',
    // No profile files or instance metadata: the run sees only what the caller gives it.
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
  }
}

/**
 * CISA KEV and EPSS are on the internet: a run asks them only when its inputs say where
 * (exploit-sources, kev-url or epss-url, e.g. a local fake); otherwise exploit-sources is none,
 * so no test, demo or local run reaches out by accident.
 */
function offlineExploitSources(inputs: Record<string, string>): Record<string, string> {
  const named = ['exploit-sources', 'kev-url', 'epss-url'].some((name) => name in inputs)
  return named ? {} : { 'exploit-sources': 'none' }
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-image-scan-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const workspace = options.workspace ?? dir
  const env: Record<string, string> = {
    ...baseEnvironment(dir, options.inheritEnv ?? false),
    RUNNER_TEMP: options.runnerTemp ?? dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...(options.workspace === undefined ? {} : { GITHUB_WORKSPACE: workspace }),
    ...(options.onRunner === false ? {} : { GITHUB_ACTIONS: 'true' }),
    ...options.env,
  }
  for (const [name, value] of Object.entries({
    ...inputDefaults(),
    ...offlineExploitSources(inputs),
    ...inputs,
  })) {
    env[inputVariable(name)] = value
  }
  const started = Date.now()
  const script = options.script ?? join(root, 'dist/index.js')
  const measure = options.measure === true && existsSync(TIME)
  // /usr/bin/time adds one line to stderr after the process's own: its peak memory.
  const child = measure
    ? spawn(TIME, ['-f', `${RSS_MARK}%M`, node24(), script], { env, cwd: workspace })
    : spawn(node24(), [script], { env, cwd: workspace })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    options.onStdout?.(chunk.toString())
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  options.onStart?.(child)
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const [exitCode, exitSignal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.on('close', (code, signal) => done([code, signal])),
  )
  clearTimeout(timer)
  let peakRssKb: number | undefined
  if (measure) {
    const mark = stderr.lastIndexOf(RSS_MARK)
    if (mark >= 0) {
      peakRssKb = Number(stderr.slice(mark + RSS_MARK.length).trim())
      stderr = stderr.slice(0, mark)
    }
  }
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
  const summary = readFileSync(summaryFile, 'utf8')
  if (!options.keepTempDir) rmSync(dir, { recursive: true, force: true })
  return {
    exitCode,
    exitSignal,
    peakRssKb,
    stdout,
    stderr,
    outputs,
    summary,
    durationMs: Date.now() - started,
    tempDir: dir,
    commands: (kind) => stdout.split('\n').filter((line) => line.startsWith(`::${kind}`)),
  }
}
