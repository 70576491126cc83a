// npm run local -- repository=team/api image-tag=v1 [region=eu-west-1] [any-input=value …]
// The bundled action against real Amazon ECR with your own AWS credentials (environment, profile
// or SSO, as the AWS CLI finds them), run exactly as the runner runs it, with the demo's report.
// It starts a real scan, which uses the image's one scan per 24 hours.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Masker, plain, renderLogLine, renderRun, summaryHtml, terminal } from './report.ts'
import { inputNames } from './action-inputs.ts'
import { root, runAction } from './runner.ts'

const USAGE = `Usage: npm run local -- [--out DIR] NAME=VALUE …   (inputs of action.yml)
  e.g. npm run local -- repository=team/api image-tag=v1 region=eu-west-1

Runs dist/index.js (npm run build first, after changing src/) against real Amazon ECR with the
AWS credentials of this shell (AWS_PROFILE, AWS_ACCESS_KEY_ID …, SSO). The region comes from
region=, image=, AWS_REGION or AWS_DEFAULT_REGION. The summary is also written to
DIR/local.md and local.html (default demo-output/).
Inputs: ${inputNames().join(', ')}`

export function parseInputs(
  args: string[],
): { inputs: Record<string, string> } | { error: string } {
  const known = inputNames()
  const inputs: Record<string, string> = {}
  for (const arg of args) {
    const equals = arg.indexOf('=')
    if (equals <= 0) return { error: `'${arg}' is not NAME=VALUE` }
    const name = arg.slice(0, equals)
    if (!known.includes(name)) return { error: `'${name}' is not an input of action.yml` }
    inputs[name] = arg.slice(equals + 1)
  }
  if (Object.keys(inputs).length === 0) return { error: 'no inputs given' }
  return { inputs }
}

async function main(args: string[]): Promise<number> {
  let options
  try {
    options = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    })
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (options.values.help) {
    console.log(USAGE)
    return 0
  }
  const parsed = parseInputs(options.positionals)
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${USAGE}`)
    return 2
  }
  const { inputs } = parsed
  const paint = process.stdout.isTTY ? terminal : plain
  const masker = new Masker()
  let pending = ''
  const show = (line: string): void => console.log(`  ${renderLogLine(line, masker, paint)}`)
  console.log(paint('bold', 'Running dist/index.js against Amazon ECR with your AWS credentials…'))
  console.log(paint('bold', 'log:'))
  const run = await runAction(inputs, {
    inheritEnv: true,
    // The action stops waiting at wait-timeout (default 600 s); this only catches a hang.
    timeoutMs: 6 * 60 * 60 * 1000,
    onStdout: (chunk) => {
      const lines = (pending + chunk).split('\n')
      pending = lines.pop() ?? ''
      lines.forEach(show)
    },
  })
  if (pending) show(pending)
  console.log(renderRun(run, { title: 'local run', inputs, logShown: true }, paint, masker))
  const dir = resolve(root, options.values.out ?? 'demo-output')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'local.md'), masker.mask(run.summary))
  writeFileSync(
    join(dir, 'local.html'),
    summaryHtml(masker.mask(run.summary), 'ecr-image-scan: local run'),
  )
  const shown = relative(process.cwd(), join(dir, 'local.md'))
  console.log(`Job summary: ${shown} and local.html beside it`)
  return run.exitCode ?? 1
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2))
