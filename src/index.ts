// Entry point of the bundled action (dist/index.js).
import { CANCEL_EXIT_GRACE_MS } from './kernel/wait-policy.js'
import { run } from './main.js'

const cancelled = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cancelled.abort()
    // The runner kills the step soon after; leave in time even if a socket lingers.
    setTimeout(() => process.exit(process.exitCode ?? 1), CANCEL_EXIT_GRACE_MS).unref()
  })
}

await run({ signal: cancelled.signal })
