// The runner emulation lives in tools/runner.ts, shared with `npm run demo` and `npm run local`.
export {
  node24,
  parseOutputFile,
  runAction,
  type ActionRun,
  type RunOptions,
} from '../../tools/runner.ts'
