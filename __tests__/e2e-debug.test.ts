// The bundle with debug logging on (RUNNER_DEBUG=1, as "Re-run with debug logging" sets): the
// log shows the resolved inputs once, a line per AWS request with its outcome, attempts and AWS
// request ID, an unexpected error's stack in src/ lines, and never a secret. Without it, neither
// the inputs nor the requests.
import { describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import { emulatorEnv, emulatorWithImage } from './helpers/reliability.js'
import { runAction, type ActionRun } from './helpers/run-action.js'

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEBUGKEY'
const TOKEN = 'ghs_debugTokenNeverShown0123456789'
const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

const emulator = emulatorWithImage({ durationMs: 0 })

async function debugRun(
  inputs: Record<string, string>,
  { debug = true, env = {} }: { debug?: boolean; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  return runAction(
    { 'github-token': TOKEN, ...inputs },
    {
      env: emulatorEnv(emulator, {
        ...(debug ? { RUNNER_DEBUG: '1' } : {}),
        AWS_SECRET_ACCESS_KEY: SECRET,
        ...env,
      }),
    },
  )
}

/** The debug log's lines, without the `::debug::` command. */
function debugLines(run: ActionRun): string[] {
  return run.commands('debug').map((line) => line.slice('::debug::'.length))
}

function requestLines(run: ActionRun): string[] {
  return debugLines(run).filter((line) => line.startsWith('AWS ECR '))
}

function expectNoSecret(run: ActionRun): void {
  const shown = [
    run.stdout.replace(/^::add-mask::.*$/gm, ''),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
  ].join('\n')
  for (const secret of [SECRET, TOKEN]) expect(shown).not.toContain(secret.slice(0, 12))
}

describe('debug logging', () => {
  it('logs the resolved inputs once and every request with its request ID', async () => {
    const run = await debugRun({ repository: 'team/api', 'image-tag': 'v1' })
    expect(run.exitCode).toBe(0)
    const lines = debugLines(run)
    expect(lines.filter((line) => line === 'Resolved inputs:')).toHaveLength(1)
    expect(lines).toEqual(
      expect.arrayContaining([
        '  repository: team/api',
        '  image-tag: v1',
        '  region: us-east-1',
        '  wait: true',
        '  github-token: (set, not shown)',
      ]),
    )
    const requests = requestLines(run)
    const line = new RegExp(
      `^AWS ECR (\\w+) \\(us-east-1\\): HTTP 200, request ID ${REQUEST_ID}, 1 attempt, \\d+ ms$`,
    )
    for (const request of requests) expect(request).toMatch(line)
    const logged = requests.map((request) => line.exec(request)?.[1]).sort()
    expect(logged).toEqual(
      emulator
        .requests()
        .map((entry) => entry.operation)
        .sort(),
    )
    expect(logged).toEqual(expect.arrayContaining(['DescribeImages', 'StartImageScan']))
    expectNoSecret(run)
  })

  it('names the answers that were retried and the error a request ended with', async () => {
    emulator.injectFault({ kind: 'throttling', operation: 'DescribeImages', times: 1 })
    const run = await debugRun({ repository: 'team/nope', 'image-tag': 'v1' })
    expect(run.exitCode).toBe(1)
    const [describe] = requestLines(run).filter((line) => line.includes(' DescribeImages '))
    expect(describe).toMatch(
      new RegExp(
        `^AWS ECR DescribeImages \\(us-east-1\\): RepositoryNotFoundException \\(HTTP 400\\), request ID ${REQUEST_ID}, 2 attempts \\(retried after ThrottlingException \\(HTTP 400\\) ${REQUEST_ID}\\), \\d+ ms: The repository with name 'team/nope' does not exist`,
      ),
    )
    expectNoSecret(run)
  })

  it("maps an unexpected error's stack to src/ lines", async () => {
    // The runner's output file is a directory: writing the outputs fails, a failure no input
    // explains, so it is reported as unexpected.
    const run = await debugRun(
      { repository: 'team/api', 'image-tag': 'v1' },
      { env: { GITHUB_OUTPUT: tmpdir() } },
    )
    expect(run.exitCode).toBe(1)
    expect(run.commands('error')).toEqual([
      expect.stringMatching(/^::error::Unexpected error: EISDIR/),
    ])
    const [stack = ''] = debugLines(run)
      .filter((line) => line.startsWith('Error: EISDIR'))
      .map((line) => line.replace(/%0A/g, '\n'))
    expect(stack).toMatch(/\n {4}at scanStep \(src\/main\.ts:\d+:\d+, index\.js:\d+:\d+\)\n/)
    expect(stack).toMatch(/\n {4}at async run \(src\/main\.ts:\d+:\d+, index\.js:\d+:\d+\)/)
    expectNoSecret(run)
  })

  it('logs neither the inputs nor the requests when debug logging is off', async () => {
    const run = await debugRun({ repository: 'team/api', 'image-tag': 'v1' }, { debug: false })
    expect(run.exitCode).toBe(0)
    expect(requestLines(run)).toEqual([])
    expect(debugLines(run)).not.toContain('Resolved inputs:')
    expectNoSecret(run)
  })
})
