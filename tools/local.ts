// npm run local -- [--emulator [--seed FILE]] [--workflow FILE [--step ID]] [NAME=VALUE …]
// The bundled action run exactly as the runner runs it, with your own inputs, from your current
// folder: against real Amazon ECR with your AWS credentials (environment, profile or SSO, as the
// AWS CLI finds them), or against the local ECR emulator seeded from a file. Prints the demo's
// report and keeps the files the action writes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'yaml'
import {
  Masker,
  displayPath,
  logRenderer,
  plain,
  renderRun,
  summaryHtml,
  terminal,
} from './report.ts'
import { inputNames } from './action-inputs.ts'
import { startEmulator, type Emulator, type SeedResult } from './emulator/index.ts'
import { readSeedFile } from './emulator/seed-file.ts'
import { root, runAction, type ActionRun } from './runner.ts'

/** The seed `--emulator` uses when `--seed` names none. */
export const EXAMPLE_SEED = join(root, 'tools/emulator/seed.example.yml')
/** Where the files go when `--out` names no folder. */
export const DEFAULT_OUT = join(root, 'demo-output/local')

const USAGE = `Usage: npm run local -- [options] NAME=VALUE …   (inputs of action.yml)

  npm run local -- repository=team/api image-tag=v1 region=eu-west-1
      a real scan in Amazon ECR, with the AWS credentials of this shell (AWS_PROFILE,
      aws sso login, aws configure, AWS_ACCESS_KEY_ID …); it uses the image's one scan per day
  npm run local -- --emulator repository=demo/vulnerable image-tag=v1 fail-on-severity=high
      the same against a local ECR emulator, no AWS account needed

Options:
  --emulator        run against a local ECR emulator seeded from tools/emulator/seed.example.yml
  --seed FILE       seed the emulator from FILE (YAML, or JSON); implies --emulator
  --workflow FILE   take the inputs from the with: block of the step in FILE that uses
                    ecr-image-scan; NAME=VALUE adds to them or replaces them
  --step ID         that step's id, when several steps of FILE use the action
  --out DIR         where the files go (default: demo-output/local in this clone)
  --debug           show the action's debug log and stacks (RUNNER_DEBUG=1, as a re-run with
                    debug logging)

Paths (ignore-file, sarif-file, --workflow, --seed, --out) are relative to the folder you run
from, as a workflow's are to the repository. More in docs/try-locally.md.

Inputs: ${inputNames().join(', ')}`

/** The options of `npm run local`, for node:util's parseArgs. */
export const OPTIONS = {
  emulator: { type: 'boolean' },
  seed: { type: 'string' },
  workflow: { type: 'string' },
  step: { type: 'string' },
  out: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Parsed<T> = T | { error: string }

/** NAME=VALUE arguments as inputs of action.yml; an error names the first that is not one. */
export function parseInputs(args: string[]): Parsed<{ inputs: Record<string, string> }> {
  const known = inputNames()
  const inputs: Record<string, string> = {}
  for (const arg of args) {
    const equals = arg.indexOf('=')
    if (equals <= 0) return { error: `'${arg}' is not NAME=VALUE` }
    const name = arg.slice(0, equals)
    if (!known.includes(name)) return { error: `'${name}' is not an input of action.yml` }
    inputs[name] = arg.slice(equals + 1)
  }
  return { inputs }
}

interface WorkflowStep {
  id?: unknown
  uses?: unknown
  with?: unknown
}

/** The steps of a parsed workflow, each with its place in the file (`jobs.build.steps[1]`). */
function stepsOf(workflow: unknown): { where: string; step: WorkflowStep }[] {
  const jobs = (workflow as { jobs?: unknown } | null)?.jobs
  if (typeof jobs !== 'object' || jobs === null) return []
  return Object.entries(jobs).flatMap(([job, body]) => {
    const list = (body as { steps?: unknown } | null)?.steps
    return Array.isArray(list)
      ? list.map((step: WorkflowStep, index) => ({ where: `jobs.${job}.steps[${index}]`, step }))
      : []
  })
}

/**
 * The `with:` block of one step of a workflow, as the runner passes it: YAML's values as text, so
 * a number is passed as the runner passes it (`1.10` as `1.1`), with a note saying so. The step
 * is the one whose `id` is `stepId`, else the only one whose `uses:` names ecr-image-scan.
 * Values with an expression (`${{ … }}`) only a runner can evaluate are an error unless `given`
 * has the input; `given` adds to the block's inputs or replaces them.
 */
export function inputsFromWorkflow(
  text: string,
  file: string,
  stepId: string | undefined,
  given: Record<string, string> = {},
): Parsed<{ inputs: Record<string, string>; notes: string[] }> {
  let written: unknown
  let typed: unknown
  try {
    // Every value as written (the failsafe schema), and as YAML reads it: they differ for numbers.
    written = parse(text, { schema: 'failsafe' })
    typed = parse(text)
  } catch (error) {
    return { error: `${file} is not YAML: ${(error as Error).message.split('\n')[0]}` }
  }
  const steps = stepsOf(written)
  const chosen =
    stepId === undefined
      ? steps.filter(
          ({ step }) => typeof step?.uses === 'string' && /ecr-image-scan/.test(step.uses),
        )
      : steps.filter(({ step }) => step?.id === stepId)
  if (chosen.length !== 1) {
    const named = chosen.map(({ where, step }) =>
      typeof step.id === 'string' ? `${where} (id: ${step.id})` : where,
    )
    if (stepId !== undefined) {
      const ids = steps.flatMap(({ step }) => (typeof step?.id === 'string' ? [step.id] : []))
      return chosen.length === 0
        ? {
            error: `${file} has no step with id '${stepId}' (its ids: ${ids.join(', ') || 'none'})`,
          }
        : { error: `${file} has ${chosen.length} steps with id '${stepId}': ${named.join(', ')}` }
    }
    return chosen.length === 0
      ? { error: `no step of ${file} uses ecr-image-scan: name the step with --step ID` }
      : {
          error: `${chosen.length} steps of ${file} use ecr-image-scan (${named.join(', ')}): choose one with --step ID`,
        }
  }
  const { where, step } = chosen[0]!
  const block = step.with ?? {}
  if (typeof block !== 'object' || Array.isArray(block)) {
    return { error: `${where}.with in ${file} is not a mapping of inputs` }
  }
  const typedBlock = (stepsOf(typed).find((each) => each.where === where)?.step.with ??
    {}) as Record<string, unknown>
  const notes: string[] = []
  const values = Object.entries(block as Record<string, string>).map(([name, text]) => {
    const value = typedBlock[name]
    const passed = value === null || value === undefined ? '' : String(value)
    if (typeof value === 'number' && passed !== text) {
      notes.push(
        `${name}: ${text} is a YAML number, which the runner passes as '${passed}'; quote it ('${text}') to pass the text`,
      )
    }
    return `${name}=${passed}`
  })
  const parsed = parseInputs(values)
  if ('error' in parsed) return { error: `${where}.with in ${file}: ${parsed.error}` }
  for (const [name, value] of Object.entries(parsed.inputs)) {
    if (value.includes('${{') && given[name] === undefined) {
      return {
        error: `${where}.with in ${file}: '${name}' is '${value}', an expression only a runner can evaluate. Give its value: ${name}=VALUE`,
      }
    }
  }
  return { inputs: { ...parsed.inputs, ...given }, notes }
}

/**
 * The account the inputs name (`registry-id`, else the first image URI in `image` or `images`),
 * for the emulator to be that account: a workflow's inputs then find the seed's images as they
 * find them in ECR.
 */
export function accountOf(inputs: Record<string, string>): string | undefined {
  if (/^\d{12}$/.test(inputs['registry-id'] ?? '')) return inputs['registry-id']
  const uri = /(?:^|[\s,])(\d{12})\.dkr[.-]ecr/.exec(
    `${inputs.image ?? ''}\n${inputs.images ?? ''}`,
  )
  return uri?.[1]
}

/** The seeded images as `repository:tag`, for a line that says what the emulator holds. */
export function seededImages(result: SeedResult): string[] {
  return [...result.images, ...result.imageIndexes].map(({ repositoryName, tag, registryId }) => {
    const name = `${repositoryName}${tag ? `:${tag}` : ''}`
    return registryId ? `${name} (registry ${registryId})` : name
  })
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']

/** The inputs of the command line: NAME=VALUE, over the step of `--workflow` if one is named. */
function inputsOf(
  values: Values,
  positionals: string[],
  here: string,
): Parsed<{ inputs: Record<string, string>; notes: string[] }> {
  const given = parseInputs(positionals)
  if ('error' in given) return given
  if (values.workflow === undefined) {
    if (values.step !== undefined) return { error: '--step needs --workflow FILE' }
    return { inputs: given.inputs, notes: [] }
  }
  const file = resolve(here, values.workflow)
  if (!existsSync(file)) return { error: `--workflow ${values.workflow}: no such file` }
  return inputsFromWorkflow(readFileSync(file, 'utf8'), values.workflow, values.step, given.inputs)
}

/** An emulator on 127.0.0.1 holding the seed of `seedFile`, as the account the inputs name. */
async function seededEmulator(
  seedFile: string,
  inputs: Record<string, string>,
): Promise<Parsed<{ emulator: Emulator; held: SeedResult }>> {
  let seed
  try {
    seed = await readSeedFile(seedFile)
  } catch (error) {
    return { error: (error as Error).message }
  }
  const emulator = await startEmulator({ accountId: accountOf(inputs) })
  try {
    return { emulator, held: emulator.seed(seed) }
  } catch (error) {
    await emulator.close()
    return { error: `the seed ${seedFile}: ${(error as Error).message}` }
  }
}

/** The summary (Markdown and a page) and every output in full, masked, in `out`; their paths. */
function writeRunFiles(
  run: ActionRun,
  out: string,
  masker: Masker,
): { 'job summary': string; 'as a page': string; outputs: string } {
  const files = {
    'job summary': join(out, 'summary.md'),
    'as a page': join(out, 'summary.html'),
    outputs: join(out, 'outputs.json'),
  }
  const summary = masker.mask(run.summary)
  writeFileSync(files['job summary'], summary)
  writeFileSync(files['as a page'], summaryHtml(summary, 'ecr-image-scan: local run'))
  const outputs = Object.fromEntries(
    Object.entries(run.outputs).map(([name, value]) => [name, masker.mask(value)]),
  )
  writeFileSync(files.outputs, `${JSON.stringify(outputs, null, 2)}\n`)
  return files
}

async function main(args: string[]): Promise<number> {
  let options
  try {
    options = parseArgs({ args, allowPositionals: true, options: OPTIONS })
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values } = options
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  // npm runs scripts in the package's folder; INIT_CWD is the one the user ran npm from.
  const here = process.env.INIT_CWD ?? process.cwd()
  const read = inputsOf(values, options.positionals, here)
  if ('error' in read) return usageError(read.error)
  const { inputs, notes } = read
  if (Object.keys(inputs).length === 0) return usageError('no inputs given')

  const paint = process.stdout.isTTY ? terminal : plain
  let emulator: Emulator | undefined
  if (values.emulator === true || values.seed !== undefined) {
    const seedFile = values.seed === undefined ? EXAMPLE_SEED : resolve(here, values.seed)
    const started = await seededEmulator(seedFile, inputs)
    if ('error' in started) return usageError(started.error)
    emulator = started.emulator
    const held = seededImages(started.held).join(', ')
    console.log(
      paint('bold', `Running dist/index.js against a local ECR emulator (${emulator.url}),`),
    )
    console.log(paint('bold', `seeded from ${displayPath(seedFile, here)}: ${held}`))
  } else {
    console.log(
      paint('bold', 'Running dist/index.js against Amazon ECR with your AWS credentials…'),
    )
  }
  for (const note of notes) console.log(paint('yellow', `note: ${note}`))

  const out = values.out === undefined ? DEFAULT_OUT : resolve(here, values.out)
  // RUNNER_TEMP, which the runner empties for each job: the findings file is written there.
  const runnerTemp = join(out, 'runner-temp')
  rmSync(runnerTemp, { recursive: true, force: true })
  mkdirSync(runnerTemp, { recursive: true })

  const debug = values.debug === true
  const masker = new Masker()
  const render = logRenderer(masker, paint, { debug })
  const show = (line: string): void => {
    const shown = render(line)
    if (shown !== undefined) console.log(`  ${shown.replace(/\n/g, '\n  ')}`)
  }
  let pending = ''
  console.log(paint('bold', 'log:'))
  let run
  try {
    run = await runAction(inputs, {
      // The emulator gets the test environment (fake keys, no profile); AWS gets the shell's.
      inheritEnv: emulator === undefined,
      env: {
        ...(emulator ? { AWS_ENDPOINT_URL_ECR: emulator.url } : {}),
        ...(debug ? { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' } : {}),
      },
      workspace: here,
      runnerTemp,
      onRunner: false,
      // The action stops waiting at wait-timeout (default 600 s); this only catches a hang.
      timeoutMs: 6 * 60 * 60 * 1000,
      onStdout: (chunk) => {
        const lines = (pending + chunk).split('\n')
        pending = lines.pop() ?? ''
        lines.forEach(show)
      },
    })
  } finally {
    await emulator?.close()
  }
  if (pending) show(pending)

  const files = writeRunFiles(run, out, masker)
  const title = emulator ? 'local run, emulator' : 'local run, Amazon ECR'
  const outputsFile = displayPath(files.outputs, here)
  console.log(renderRun(run, { title, inputs, logShown: true, debug, outputsFile }, paint, masker))
  console.log(paint('bold', 'files:'))
  const written = {
    ...files,
    'findings-file': run.outputs['findings-file'],
    'sarif-file': run.outputs['sarif-file'],
  }
  for (const [name, path] of Object.entries(written)) {
    if (path) console.log(`  ${name.padEnd(13)}  ${displayPath(path, here)}`)
  }
  if (!debug && run.exitCode !== 0) {
    console.log(paint('dim', 'Run again with --debug for the debug log, stacks included.'))
  }
  return run.exitCode ?? 1
}

function usageError(message: string): number {
  console.error(`${message}\n\nnpm run local -- --help tells how to run it.`)
  return 2
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2))
