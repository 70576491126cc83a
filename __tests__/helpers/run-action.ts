// The runner emulation lives in tools/runner.ts, shared with `npm run demo` and `npm run local`.
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
