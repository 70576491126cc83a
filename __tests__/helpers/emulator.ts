// One ECR emulator per test file, reset before each test, and an SDK client that talks to it.
import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { ECRClient } from '@aws-sdk/client-ecr'
import { Emulator, type ManualClock } from '../../tools/emulator/index.ts'

/** An SDK client for an emulator (or moto) at `endpoint`, with test credentials. */
export function ecrClientFor(endpoint: string | (() => string)): ECRClient {
  return new ECRClient({
    // A function is read at each request: the emulator's port is only known once it listens.
    endpoint:
      typeof endpoint === 'string' ? endpoint : () => Promise.resolve({ url: new URL(endpoint()) }),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // Faults and quota errors must reach the test as they are, not after SDK retries.
    maxAttempts: 1,
  })
}

/**
 * Starts an emulator before the file's tests and closes it after them. Before each test the
 * emulator is emptied and `clock`, when given, is set back to the time it showed here.
 * The emulator and the client exist at once but answer only once the tests run.
 */
export function withEmulator(clock?: ManualClock): { emulator: Emulator; ecr: ECRClient } {
  const emulator = new Emulator({ clock })
  const ecr = ecrClientFor(() => emulator.url)
  const start = clock?.now()

  beforeAll(() => emulator.listen())

  afterAll(async () => {
    ecr.destroy()
    await emulator.close()
  })

  beforeEach(() => {
    emulator.reset()
    if (clock && start !== undefined) clock.set(start)
  })

  return { emulator, ecr }
}
