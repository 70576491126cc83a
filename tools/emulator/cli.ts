// node tools/emulator/cli.ts [--host 127.0.0.1] [--port 4566] [--seed file.yml|file.json]
//   [--manual-clock [--start 2026-01-01T00:00:00Z]] [--region us-east-1] [--account-id 123456789012]
// Prints the URL on the first line of stdout (for scripts); runs until SIGINT/SIGTERM.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ManualClock } from './clock.ts'
import { startEmulator } from './emulator.ts'
import { readSeedFile } from './seed-file.ts'

const USAGE = `Usage: node tools/emulator/cli.ts [--host HOST] [--port PORT] [--seed FILE]
  [--manual-clock] [--start ISO-TIME] [--region REGION] [--account-id ID]

A seed FILE is YAML, or JSON when its name ends in .json (tools/emulator/seed.example.yml).
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

// Read before the server starts, so that a seed with a mistake starts nothing.
let seed
if (values.seed !== undefined) {
  try {
    // npm runs the script in the package's folder; a path is the user's, from INIT_CWD.
    seed = await readSeedFile(resolve(process.env.INIT_CWD ?? '.', values.seed))
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
}

const emulator = await startEmulator({
  host: values.host,
  port,
  region: values.region,
  accountId: values['account-id'],
  clock: values['manual-clock'] ? new ManualClock(startMs) : undefined,
})
if (seed !== undefined) {
  const seeded = emulator.seed(seed)
  console.error(`seeded from ${values.seed}: ${JSON.stringify(seeded)}`)
}
console.log(emulator.url)
console.error(`ECR emulator listening on ${emulator.url} (AWS_ENDPOINT_URL_ECR=${emulator.url})`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0))
  })
}
