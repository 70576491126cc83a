// POST /_emulator/<command>: the in-process API for another process (the bundled action in a
// child process, a shell script, a person with curl). Bodies and results are JSON.
import type { Emulator } from './emulator.ts'
import type {
  FaultRule,
  PutImageIndexOptions,
  PutImageOptions,
  RegistryScanningOptions,
  ScanProfile,
  ScanProfileTarget,
  ScanType,
  SeedDocument,
  SeedRepository,
} from './types.ts'

type Command = (emulator: Emulator, body: Record<string, unknown>) => unknown

function required<T>(body: Record<string, unknown>, member: string, type: string): T {
  const value = body[member]
  if (typeof value !== type) throw new Error(`'${member}' must be a ${type}`)
  return value as T
}

const COMMANDS: Readonly<Record<string, Command>> = {
  health: (emulator) => ({ ok: true, now: emulator.now() }),
  clock: (emulator) => ({ now: emulator.now() }),
  'advance-clock': (emulator, body) => ({
    now: emulator.advanceClock(required<number>(body, 'ms', 'number')),
  }),
  requests: (emulator) => ({ requests: emulator.requests() }),
  'clear-log': (emulator) => emulator.clearLog(),
  reset: (emulator) => emulator.reset(),
  seed: (emulator, body) => emulator.seed(body as SeedDocument),
  'create-repository': (emulator, body) => {
    required<string>(body, 'repositoryName', 'string')
    const { repositoryName, ...options } = body as unknown as SeedRepository
    emulator.createRepository(repositoryName, options)
  },
  'put-image': (emulator, body) => {
    required<string>(body, 'repositoryName', 'string')
    return { imageDigest: emulator.putImage(body as unknown as PutImageOptions) }
  },
  'put-image-index': (emulator, body) => {
    required<string>(body, 'repositoryName', 'string')
    if (!Array.isArray(body.platforms)) throw new Error("'platforms' must be an array")
    return emulator.putImageIndex(body as unknown as PutImageIndexOptions)
  },
  'set-scan-profile': (emulator, body) => {
    const { profile, ...target } = body as ScanProfileTarget & { profile?: ScanProfile }
    if (typeof profile !== 'object' || profile === null)
      throw new Error("'profile' must be an object")
    emulator.setScanProfile(target, profile)
  },
  'set-registry-scan-type': (emulator, body) => {
    const { scanType, ...options } = body as RegistryScanningOptions & { scanType?: unknown }
    emulator.setRegistryScanType(required<ScanType>({ scanType }, 'scanType', 'string'), options)
  },
  'mark-scanned': (emulator, body) =>
    emulator.markScanned(
      required<string>(body, 'repositoryName', 'string'),
      required<string>(body, 'imageDigest', 'string'),
      typeof body.atMs === 'number' ? body.atMs : undefined,
    ),
  'set-image-archived': (emulator, body) =>
    emulator.setImageArchived(
      required<string>(body, 'repositoryName', 'string'),
      required<string>(body, 'imageDigest', 'string'),
      body.archived !== false,
    ),
  'inject-fault': (emulator, body) => emulator.injectFault(body as unknown as FaultRule),
  'clear-faults': (emulator) => emulator.clearFaults(),
  'set-rate-limit': (emulator, body) =>
    emulator.setRateLimit(
      typeof body.requestsPerSecond === 'number' ? body.requestsPerSecond : undefined,
    ),
}

export const CONTROL_COMMANDS: readonly string[] = Object.keys(COMMANDS)

export function runControlCommand(emulator: Emulator, command: string, body: unknown): unknown {
  const run = COMMANDS[command]
  if (!run) throw new Error(`unknown command '${command}'; known: ${CONTROL_COMMANDS.join(', ')}`)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('the request body must be a JSON object')
  }
  return run(emulator, body as Record<string, unknown>)
}
