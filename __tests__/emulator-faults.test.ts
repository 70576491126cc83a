// Fault injection, the global rate limit and the request log, seen through the AWS SDK.
import { describe, expect, it } from '@jest/globals'
import {
  DescribeImagesCommand,
  DescribeImageScanFindingsCommand,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr'
import { ManualClock, type FaultKind } from '../tools/emulator/index.ts'
import { withEmulator } from './helpers/emulator.js'

const START = Date.UTC(2026, 0, 1)
const clock = new ManualClock(START)
const { emulator, ecr } = withEmulator(clock)

interface Outcome {
  ok: boolean
  name?: string
  status?: number
  code?: string
  message?: string
}

async function outcome(promise: Promise<unknown>): Promise<Outcome> {
  try {
    await promise
    return { ok: true }
  } catch (error) {
    const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } }
    return {
      ok: false,
      name: e.name,
      status: e.$metadata?.httpStatusCode,
      code: e.code,
      message: e.message,
    }
  }
}

const getConfig = () => outcome(ecr.send(new GetRegistryScanningConfigurationCommand({})))
const describeImages = () => outcome(ecr.send(new DescribeImagesCommand({ repositoryName: 'app' })))

describe('fault kinds', () => {
  it.each<[FaultKind, Partial<Outcome>]>([
    ['throttling', { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' }],
    ['too-many-requests', { status: 429 }],
    ['server-error', { name: 'ServerException', status: 500 }],
    ['service-unavailable', { status: 503 }],
    ['malformed-body', { name: 'SyntaxError', status: 200 }],
    [
      'access-denied',
      {
        name: 'AccessDeniedException',
        status: 400,
        message:
          'User: arn:aws:sts::123456789012:assumed-role/ci/session is not authorized to perform: ecr:GetRegistryScanningConfiguration on resource: * because no identity-based policy allows the ecr:GetRegistryScanningConfiguration action',
      },
    ],
  ])('%s answers as configured', async (kind, expected) => {
    emulator.injectFault({ kind, times: 1 })
    expect(await getConfig()).toMatchObject({ ok: false, ...expected })
    expect(await getConfig()).toEqual({ ok: true })
  })

  it('connection-reset destroys the socket without an answer', async () => {
    emulator.injectFault({ kind: 'connection-reset', times: 1 })
    // Under jest the SDK wraps the cross-realm socket error, so match on its text, not its code.
    const reset = await getConfig()
    expect(reset).toMatchObject({ ok: false, status: undefined })
    expect(reset.message).toMatch(/socket hang up|ECONNRESET/)
    expect(await getConfig()).toEqual({ ok: true })
    expect(emulator.requests().map((entry) => [entry.status, entry.fault])).toEqual([
      [0, 'connection-reset'],
      [200, undefined],
    ])
  })

  it('delay holds the answer while other requests are answered, then answers normally', async () => {
    emulator.injectFault({ kind: 'delay', delayMs: 60_000, times: 1 })
    const arrival = emulator.nextRequest()
    let settled = false
    const delayed = getConfig().finally(() => (settled = true))
    const held = await arrival
    // times: 1, so the next request is not held: it is answered while the first one waits.
    expect(await getConfig()).toEqual({ ok: true })
    expect({ answered: held.answered, settled }).toEqual({ answered: false, settled: false })
    held.release()
    expect(await delayed).toEqual({ ok: true })
    expect(await held.done).toMatchObject({ seq: 1, status: 200 })
    expect(emulator.requests().map((entry) => entry.seq)).toEqual([1, 2])
  })

  it('delay answers by itself once delayMs has passed', async () => {
    emulator.injectFault({ kind: 'delay', delayMs: 100, times: 1 })
    const started = performance.now()
    expect(await getConfig()).toEqual({ ok: true })
    // Only a lower bound: a busy machine makes the answer later, never earlier.
    expect(performance.now() - started).toBeGreaterThanOrEqual(90)
  })

  it('a faulted request does not run the operation', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    emulator.injectFault({ kind: 'server-error', operation: 'StartImageScan', times: 1 })
    const scan = () =>
      outcome(
        ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } })),
      )
    expect(await scan()).toMatchObject({ name: 'ServerException' })
    // The failed attempt used no quota, so the retry starts the scan.
    expect(await scan()).toEqual({ ok: true })
  })
})

describe('access denied', () => {
  const startScan = (registryId?: string) =>
    outcome(
      ecr.send(
        new StartImageScanCommand({
          registryId,
          repositoryName: 'team/app',
          imageId: { imageTag: 'v1' },
        }),
      ),
    )

  it('denies one operation on the repository it names, in IAM’s words', async () => {
    emulator.putImage({ repositoryName: 'team/app', tag: 'v1' })
    emulator.injectFault({ kind: 'access-denied', operation: 'StartImageScan' })
    expect(
      await outcome(ecr.send(new DescribeImagesCommand({ repositoryName: 'team/app' }))),
    ).toEqual({ ok: true })
    expect(await startScan()).toMatchObject({
      ok: false,
      name: 'AccessDeniedException',
      status: 400,
      message:
        'User: arn:aws:sts::123456789012:assumed-role/ci/session is not authorized to perform: ecr:StartImageScan on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/app because no identity-based policy allows the ecr:StartImageScan action',
    })
    // The refused request started no scan.
    expect(
      await outcome(
        ecr.send(
          new DescribeImageScanFindingsCommand({
            repositoryName: 'team/app',
            imageId: { imageTag: 'v1' },
          }),
        ),
      ),
    ).toMatchObject({ name: 'ScanNotFoundException' })
    expect(emulator.requests()[1]).toMatchObject({
      operation: 'StartImageScan',
      status: 400,
      errorName: 'AccessDeniedException',
      fault: 'access-denied',
    })
  })

  it("names the other account's repository when the request names that registry", async () => {
    emulator.injectFault({ kind: 'access-denied', operation: 'StartImageScan', times: 1 })
    expect((await startScan('210987654321')).message).toContain(
      'on resource: arn:aws:ecr:us-east-1:210987654321:repository/team/app because',
    )
  })
})

describe('fault windows', () => {
  it('applies to the next N matching requests of its operation only', async () => {
    emulator.injectFault({
      kind: 'throttling',
      operation: 'GetRegistryScanningConfiguration',
      times: 2,
    })
    emulator.createRepository('app')
    expect(await describeImages()).toEqual({ ok: true })
    expect((await getConfig()).name).toBe('ThrottlingException')
    expect(await describeImages()).toEqual({ ok: true })
    expect((await getConfig()).name).toBe('ThrottlingException')
    expect(await getConfig()).toEqual({ ok: true })
  })

  it('applies to matching requests number k..m', async () => {
    emulator.injectFault({ kind: 'server-error', requests: { from: 2, to: 3 } })
    const results = []
    for (let i = 0; i < 5; i += 1) results.push((await getConfig()).ok)
    expect(results).toEqual([true, false, false, true, true])
  })

  it('without times or requests applies until the faults are cleared', async () => {
    emulator.injectFault({ kind: 'too-many-requests' })
    expect((await getConfig()).status).toBe(429)
    expect((await getConfig()).status).toBe(429)
    emulator.clearFaults()
    expect(await getConfig()).toEqual({ ok: true })
  })

  it('combines a delay with another fault on the same request', async () => {
    emulator.injectFault({ kind: 'delay', delayMs: 60_000, times: 1 })
    emulator.injectFault({ kind: 'server-error', times: 1 })
    const arrival = emulator.nextRequest()
    const answer = getConfig()
    const held = await arrival
    expect(held.answered).toBe(false)
    held.release()
    expect((await answer).name).toBe('ServerException')
  })

  it('rejects an invalid rule', () => {
    expect(() => emulator.injectFault({ kind: 'explode' as FaultKind })).toThrow(
      /unknown fault kind/,
    )
    expect(() => emulator.injectFault({ kind: 'delay' })).toThrow(/delayMs/)
    expect(() =>
      emulator.injectFault({ kind: 'throttling', requests: { from: 3, to: 2 } }),
    ).toThrow()
  })
})

describe('rate limit', () => {
  it('answers ThrottlingException "Rate exceeded" over the requests-per-second budget', async () => {
    emulator.setRateLimit(2)
    expect(await getConfig()).toEqual({ ok: true })
    expect(await getConfig()).toEqual({ ok: true })
    expect(await getConfig()).toMatchObject({
      name: 'ThrottlingException',
      status: 400,
      message: 'Rate exceeded',
    })
    clock.advance(500)
    expect(await getConfig()).toEqual({ ok: true })
    expect((await getConfig()).name).toBe('ThrottlingException')
    clock.advance(1000)
    expect(await getConfig()).toEqual({ ok: true })
    expect(emulator.requests().map((entry) => entry.fault ?? 'ok')).toEqual([
      'ok',
      'ok',
      'rate-limit',
      'ok',
      'rate-limit',
      'ok',
    ])
    emulator.setRateLimit(undefined)
    for (let i = 0; i < 5; i += 1) expect(await getConfig()).toEqual({ ok: true })
  })
})

describe('request log', () => {
  it('records operation, clock time, parsed body, status and error name', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    await getConfig()
    clock.advance(1234)
    await outcome(
      ecr.send(
        new DescribeImageScanFindingsCommand({
          repositoryName: 'app',
          imageId: { imageTag: 'v1' },
          maxResults: 5,
        }),
      ),
    )
    expect(emulator.requests()).toEqual([
      { seq: 1, operation: 'GetRegistryScanningConfiguration', atMs: START, body: {}, status: 200 },
      {
        seq: 2,
        operation: 'DescribeImageScanFindings',
        atMs: START + 1234,
        body: { repositoryName: 'app', imageId: { imageTag: 'v1' }, maxResults: 5 },
        status: 400,
        errorName: 'ScanNotFoundException',
      },
    ])
    emulator.clearLog()
    expect(emulator.requests()).toEqual([])
  })

  it('records injected faults with their kind', async () => {
    emulator.injectFault({ kind: 'throttling', times: 1 })
    await getConfig()
    expect(emulator.requests()[0]).toMatchObject({
      status: 400,
      errorName: 'ThrottlingException',
      fault: 'throttling',
    })
  })
})

describe('requests in flight', () => {
  it('tells the test when a request arrives, before it is answered', async () => {
    emulator.injectFault({ kind: 'delay', operation: 'DescribeImages', delayMs: 60_000 })
    const arrival = emulator.nextRequest('DescribeImages')
    // Another operation does not resolve the promise.
    expect(await getConfig()).toEqual({ ok: true })
    const answer = describeImages()
    const held = await arrival
    expect(held).toMatchObject({
      seq: 2,
      operation: 'DescribeImages',
      body: { repositoryName: 'app' },
      answered: false,
    })
    held.release()
    expect(await answer).toMatchObject({ name: 'RepositoryNotFoundException' })
    expect(held.answered).toBe(true)
  })

  it('logs a request whose client gave up before the answer as abandoned', async () => {
    emulator.injectFault({ kind: 'delay', delayMs: 60_000, times: 1 })
    const arrival = emulator.nextRequest()
    const client = new AbortController()
    const gaveUp = outcome(
      ecr.send(new GetRegistryScanningConfigurationCommand({}), { abortSignal: client.signal }),
    )
    const held = await arrival
    client.abort()
    expect((await gaveUp).ok).toBe(false)
    expect(await held.done).toMatchObject({ seq: 1, abandoned: true })
    expect(emulator.requests()).toEqual([expect.objectContaining({ seq: 1, abandoned: true })])
    // An answered request is not abandoned.
    expect(await getConfig()).toEqual({ ok: true })
    expect(emulator.requests()[1]).not.toHaveProperty('abandoned')
  })

  it('tells listeners of arrivals and answers until they stop, or the emulator is reset', async () => {
    const seen: string[] = []
    const stopArrivals = emulator.onRequest((request) => seen.push(`arrived ${request.seq}`))
    const stopAnswers = emulator.onAnswered((entry) => seen.push(`answered ${entry.seq}`))
    await getConfig()
    await describeImages()
    stopArrivals()
    await getConfig()
    expect(seen).toEqual(['arrived 1', 'answered 1', 'arrived 2', 'answered 2', 'answered 3'])
    stopAnswers()
    emulator.onRequest((request) => seen.push(`after reset ${request.seq}`))
    emulator.reset()
    await getConfig()
    expect(seen).toHaveLength(5)
  })
})
