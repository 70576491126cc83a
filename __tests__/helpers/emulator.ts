// One ECR emulator per test file, reset before each test, and an SDK client that talks to it.
import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { ECRClient } from '@aws-sdk/client-ecr'
import {
  DEFAULT_ACCOUNT_ID,
  Emulator,
  type BasicFinding,
  type EnhancedFinding,
  type ManualClock,
} from '../../tools/emulator/index.ts'

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

export interface Failure {
  name: string
  message: string
  status?: number
}

/** The error a call failed with: its name, message and HTTP status. */
export async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise
  } catch (error) {
    const { name, message, $metadata } = error as Error & {
      $metadata?: { httpStatusCode?: number }
    }
    return { name, message, status: $metadata?.httpStatusCode }
  }
  throw new Error('expected the call to fail')
}

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.'

/** A request without the SDK, to see the wire format itself. */
export async function wireRequest(
  url: string,
  operation: string,
  body: unknown,
): Promise<{ response: Response; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET + operation },
    body: JSON.stringify(body),
  })
  return { response, json: await response.json() }
}

/** `count` basic findings named CVE-2026-0000, CVE-2026-0001, … */
export function basicFindings(
  count: number,
  severity: BasicFinding['severity'] = 'HIGH',
): BasicFinding[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `CVE-2026-${String(i).padStart(4, '0')}`,
    severity,
    uri: `https://nvd.nist.gov/vuln/detail/CVE-2026-${i}`,
    attributes: [{ key: 'package_name', value: 'openssl' }],
  }))
}

/** `count` Inspector findings; `from` numbers them on from an earlier batch. */
export function enhancedFindings(
  count: number,
  severity: EnhancedFinding['severity'] = 'MEDIUM',
  from = 0,
): EnhancedFinding[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n
    return {
      findingArn: `arn:aws:inspector2:us-east-1:${DEFAULT_ACCOUNT_ID}:finding/${i}`,
      severity,
      title: `CVE-2026-${i} - openssl`,
      packageVulnerabilityDetails: { vulnerabilityId: `CVE-2026-${i}` },
    }
  })
}
