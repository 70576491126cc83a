// With debug logging on, neither the AWS secret key nor the session token reaches the log, the
// outputs or the summary, on success and on AWS errors. The only place they may appear is the
// `::add-mask::` command that tells the runner to hide them.
import { expect, it } from '@jest/globals'
import type { FaultRule } from '../tools/emulator/index.ts'
import { emulatorEnv, emulatorWithImage, expectSettled } from './helpers/reliability.js'
import { runAction } from './helpers/run-action.js'

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY'
const TOKEN = 'FwoGZXIvYXdzEJr//////////SESSIONTOKEN+abc/def=='

const emulator = emulatorWithImage({ durationMs: 0 })

const CASES: [string, Record<string, string>, FaultRule | undefined][] = [
  ['a successful scan', { repository: 'team/api', 'image-tag': 'v1' }, undefined],
  ['a missing repository', { repository: 'team/nope', 'image-tag': 'v1' }, undefined],
  ['a server error', { repository: 'team/api', 'image-tag': 'v1' }, { kind: 'server-error' }],
  ['a malformed answer', { repository: 'team/api', 'image-tag': 'v1' }, { kind: 'malformed-body' }],
]

it.each(CASES)('keeps the credentials out of every output on %s', async (_name, inputs, fault) => {
  if (fault) emulator.injectFault(fault)
  const run = await runAction(inputs, {
    env: emulatorEnv(emulator, {
      RUNNER_DEBUG: '1',
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: TOKEN,
      AWS_MAX_ATTEMPTS: '2',
    }),
  })
  expectSettled(run)
  expect(emulator.requests().length).toBeGreaterThan(0)
  const masks = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
  expect(masks.sort()).toEqual([`::add-mask::${SECRET}`, `::add-mask::${TOKEN}`].sort())
  const everything = [
    run.stdout
      .split('\n')
      .filter((line) => !masks.includes(line))
      .join('\n'),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
  ].join('\n')
  for (const secret of [SECRET, TOKEN]) {
    expect(everything).not.toContain(secret)
    // Nor a recognisable piece of it, e.g. in an escaped or cut form.
    expect(everything).not.toContain(secret.slice(0, 16))
  }
})
