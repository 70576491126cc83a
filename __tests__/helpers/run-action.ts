// Runs the committed bundle (dist/index.js) on Node 24 exactly as the runner does: inputs as
// INPUT_* variables with action.yml's defaults, outputs and summary as files.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export interface ActionRun {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  durationMs: number
  /** The run's RUNNER_TEMP (and HOME). */
  tempDir: string
  /** Lines of the log that are workflow commands of this kind (error, warning, notice). */
  commands(kind: string): string[]
}

export interface RunOptions {
  /** Extra environment (AWS_ENDPOINT_URL_ECR, RUNNER_DEBUG, …). */
  env?: Record<string, string>
  /** Called once the process has started, e.g. to send it a signal. */
  onStart?: (child: ReturnType<typeof spawn>) => void
  timeoutMs?: number
}

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The Node 24 binary the `node` npm package installs (the runner's runtime is node24). */
export function node24(): string {
  const binary = join(root, 'node_modules/.bin/node')
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim()
  if (!version.startsWith('v24.')) {
    throw new Error(`${binary} is ${version || 'missing'}, not Node 24: run npm ci`)
  }
  return binary
}

function inputDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, `${input.default}`]),
  )
}

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

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-image-scan-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-key-do-not-print',
    AWS_REGION: 'us-east-1',
    // No profile files or instance metadata: the run sees only what the test gives it.
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env,
  }
  for (const [name, value] of Object.entries({ ...inputDefaults(), ...inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const started = Date.now()
  const child = spawn(node24(), [join(root, 'dist/index.js')], { env, cwd: dir })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  options.onStart?.(child)
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const exitCode = await new Promise<number | null>((done) => child.on('close', done))
  clearTimeout(timer)
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    durationMs: Date.now() - started,
    tempDir: dir,
    commands: (kind) => stdout.split('\n').filter((line) => line.startsWith(`::${kind}`)),
  }
}
