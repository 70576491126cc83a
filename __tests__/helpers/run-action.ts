// The runner emulation lives in tools/runner.ts, shared with `npm run demo` and `npm run local`.
import { runAction, type ActionRun, type RunOptions } from '../../tools/runner.ts'

export {
  node24,
  parseOutputFile,
  runAction,
  type ActionRun,
  type RunOptions,
} from '../../tools/runner.ts'

/**
 * Waits for a line of a run's log: pass `onStdout` to runAction, and `line` resolves with the
 * first whole line that matches `pattern` (a chunk of stdout may end in the middle of a line).
 */
export function waitForLine(pattern: RegExp): {
  onStdout: (chunk: string) => void
  line: Promise<string>
} {
  let rest = ''
  let found = false
  let resolve: (line: string) => void = () => {}
  const line = new Promise<string>((done) => (resolve = done))
  return {
    line,
    onStdout: (chunk) => {
      if (found) return
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      const match = lines.find((text) => pattern.test(text))
      if (match !== undefined) {
        found = true
        resolve(match)
      }
    },
  }
}

/**
 * Runs the action and sends it `signal` once `ready` resolves, as the runner does when a job is
 * cancelled. `exitMs` is the time from the signal to the process's exit; it throws when the run
 * ended before the signal went.
 */
export async function runAndSignal(
  inputs: Record<string, string>,
  options: RunOptions,
  signal: NodeJS.Signals,
  ready: Promise<unknown>,
): Promise<{ run: ActionRun; exitMs: number }> {
  let signalledAt: number | undefined
  let exitedAt = 0
  const run = await runAction(inputs, {
    ...options,
    onStart: (child) => {
      child.once('exit', () => (exitedAt = Date.now()))
      void ready.then(() => {
        signalledAt = Date.now()
        child.kill(signal)
      })
      options.onStart?.(child)
    },
  })
  if (signalledAt === undefined) throw new Error(`the run ended before ${signal} was sent`)
  return { run, exitMs: exitedAt - signalledAt }
}
