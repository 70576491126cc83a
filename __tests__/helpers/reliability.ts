// Shared checks of the reliability suite: every run of the bundle ends by itself with a clear
// result, and the emulator it talks to is the test's own.
import { beforeEach, expect } from '@jest/globals'
import type { BasicFinding, Emulator, ScanProfile } from '../../tools/emulator/index.ts'
import { withEmulator } from './emulator.js'
import type { ActionRun } from './run-action.js'

/** A line of a JavaScript stack trace, as Node prints an uncaught error. */
export const STACK_FRAME = /^\s+at \S.*(?::\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m

/**
 * The run ended by itself with a result a user can read: exit 0 or 1, one `::error::` line
 * exactly when it failed, no crash or stack trace, and a summary written.
 */
export function expectSettled(run: ActionRun): void {
  expect({ signal: run.exitSignal, exitCode: [0, 1].includes(run.exitCode ?? -1) }).toEqual({
    signal: null,
    exitCode: true,
  })
  expect(run.stderr).not.toMatch(STACK_FRAME)
  expect(run.stdout).not.toMatch(STACK_FRAME)
  expect(run.stderr).not.toMatch(/unhandled|uncaught/i)
  expect(run.commands('error')).toHaveLength(run.exitCode === 1 ? 1 : 0)
  expect(run.summary).toMatch(/^## (✅|⚠️|❌) ECR image scan/)
}

/** A failure: one `::error::` line that matches every pattern (and says what to do). */
export function expectFailure(run: ActionRun, ...patterns: RegExp[]): string {
  expectSettled(run)
  expect(run.exitCode).toBe(1)
  const [error = ''] = run.commands('error')
  for (const pattern of patterns) expect(error).toMatch(pattern)
  expect(run.summary).toContain('## ❌')
  return error
}

/** The file's emulator (see withEmulator), holding `team/api:v1` with this scan profile in each test. */
export function emulatorWithImage(scanProfile: ScanProfile): Emulator {
  const { emulator } = withEmulator()
  beforeEach(() => {
    emulator.putImage({ repositoryName: 'team/api', tag: 'v1', scanProfile })
  })
  return emulator
}

export function emulatorEnv(emulator: Emulator, extra: Record<string, string> = {}) {
  return { AWS_ENDPOINT_URL_ECR: emulator.url, ...extra }
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export function basicFinding(
  name: string,
  severity: BasicFinding['severity'],
  packageName = 'zlib',
): BasicFinding {
  return {
    name,
    severity,
    uri: `https://nvd.nist.gov/vuln/detail/${name}`,
    description: `${name} in ${packageName}.`,
    attributes: [
      { key: 'package_name', value: packageName },
      { key: 'package_version', value: '1.2.13' },
    ],
  }
}

/** The emulator's log entries for one operation, in the order the requests arrived. */
export function answered(emulator: Emulator, operation: string) {
  return emulator.requests().filter((request) => request.operation === operation)
}
