// node tools/emulator/cli.ts [--host 127.0.0.1] [--port 4566] [--seed file.json]
//   [--manual-clock [--start 2026-01-01T00:00:00Z]] [--region us-east-1] [--account-id 123456789012]
// Prints the URL on the first line of stdout (for scripts); runs until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ManualClock } from './clock.ts'
import { startEmulator } from './emulator.ts'
import type { SeedDocument } from './types.ts'

const USAGE = `Usage: node tools/emulator/cli.ts [--host HOST] [--port PORT] [--seed FILE.json]
  [--manual-clock] [--start ISO-TIME] [--region REGION] [--account-id ID]

Control it with POST <url>/_emulator/<command> (JSON), e.g. advance-clock {"ms": 86400000}.`

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '4566' },
    seed: { type: 'string' },
    'manual-clock': { type: 'boolean', default: false },
    start: { type: 'string' },
    region: { type: 'string' },
    'account-id': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port '${values.port}'\n${USAGE}`)
  process.exit(2)
}
const startMs = values.start === undefined ? Date.now() : Date.parse(values.start)
if (Number.isNaN(startMs)) {
  console.error(`invalid --start '${values.start}'`)
  process.exit(2)
}

const emulator = await startEmulator({
  host: values.host,
  port,
  region: values.region,
  accountId: values['account-id'],
  clock: values['manual-clock'] ? new ManualClock(startMs) : undefined,
})
if (values.seed !== undefined) {
  const seeded = emulator.seed(JSON.parse(readFileSync(values.seed, 'utf8')) as SeedDocument)
  console.error(`seeded from ${values.seed}: ${JSON.stringify(seeded)}`)
}
console.log(emulator.url)
console.error(`ECR emulator listening on ${emulator.url} (AWS_ENDPOINT_URL_ECR=${emulator.url})`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0))
  })
}
