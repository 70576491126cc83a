// The client's retry behaviour, through the real SDK over HTTP: the quota error is answered
// after one request, while throttling and server errors keep the SDK's retries. And its debug
// log: a line per request with the outcome, attempts and AWS request IDs.
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals'
import type { RetryToken, SdkError, StandardRetryToken } from '@smithy/types'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StartImageScanCommand } from '@aws-sdk/client-ecr'
import { THROTTLED_ATTEMPTS_FACTOR, createEcrClient, ecrRetryStrategy } from '../src/ecr/client.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'
import { startImageScan } from '../src/ecr/scan.js'

let server: Server
let answers: { status: number; type: string; message: string }[] = []
let requests: string[] = []
/** Answers held back (status 0 in `answers`: a server that never answers), closed after each test. */
const unanswered: ServerResponse[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      requests.push(`${request.headers['x-amz-target']}`)
      const answer = answers.shift() ?? { status: 200, type: '', message: '' }
      if (answer.status === 0) {
        unanswered.push(response)
        return
      }
      response.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': `request-${requests.length}`,
      })
      response.end(
        answer.status === 200
          ? JSON.stringify({ imageScanStatus: { status: 'IN_PROGRESS' } })
          : JSON.stringify({ __type: answer.type, message: answer.message }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.env.AWS_ENDPOINT_URL_ECR = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.AWS_ACCESS_KEY_ID = 'test'
  process.env.AWS_SECRET_ACCESS_KEY = 'test'
})

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_ECR
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  answers = []
  requests = []
})

afterEach(() => {
  for (const response of unanswered.splice(0)) response.destroy()
})

const QUOTA = {
  status: 400,
  type: 'LimitExceededException',
  message: 'The scan quota per image has been exceeded. Wait and try again.',
}
const image = { registryId: '', repositoryName: 'r1', imageDigest: `sha256:${'1'.repeat(64)}` }

describe('createEcrClient', () => {
  it('names the operation on the errors it throws, for the error lines', async () => {
    answers = [{ status: 400, type: 'RepositoryNotFoundException', message: 'no such repository' }]
    const client = createEcrClient('us-east-1')
    const error = await startImageScan(client, image, true).catch((thrown: unknown) => thrown)
    client.destroy()
    expect(error).toMatchObject({
      name: 'RepositoryNotFoundException',
      $operation: 'StartImageScan',
    })
  })

  it('sends StartImageScan once when the answer is the quota error', async () => {
    answers = [QUOTA, QUOTA, QUOTA]
    const client = createEcrClient('us-east-1')
    const outcome = await startImageScan(client, image, true)
    expect(outcome).toEqual({ kind: 'limit-exceeded', message: QUOTA.message })
    expect(requests).toEqual(['AmazonEC2ContainerRegistry_V20150921.StartImageScan'])
    client.destroy()
  })

  it('keeps retrying real throttling and server errors', async () => {
    answers = [
      { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
      { status: 500, type: 'ServerException', message: 'internal' },
    ]
    const client = createEcrClient('us-east-1')
    const outcome = await startImageScan(client, image, true)
    expect(outcome).toEqual({
      kind: 'started',
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: undefined,
    })
    expect(requests).toHaveLength(3)
    client.destroy()
  })

  it('honours AWS_MAX_ATTEMPTS: a throttled call gets THROTTLED_ATTEMPTS_FACTOR times it', async () => {
    process.env.AWS_MAX_ATTEMPTS = '1'
    try {
      answers = Array(5).fill({
        status: 429,
        type: 'ThrottlingException',
        message: 'Rate exceeded',
      })
      const client = createEcrClient('us-east-1')
      await expect(
        client.send(
          new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }),
        ),
      ).rejects.toMatchObject({ name: 'ThrottlingException' })
      expect(requests).toHaveLength(THROTTLED_ATTEMPTS_FACTOR)
      answers = [{ status: 500, type: 'ServerException', message: 'internal' }]
      requests = []
      await expect(
        client.send(
          new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }),
        ),
      ).rejects.toMatchObject({ name: 'ServerException' })
      expect(requests).toHaveLength(1)
      client.destroy()
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS
    }
  })

  it('gives up on an attempt that gets no answer within WAIT_POLICY.requestTimeoutMs', async () => {
    process.env.AWS_MAX_ATTEMPTS = '1'
    const client = createEcrClient('us-east-1')
    try {
      answers = [{ status: 0, type: '', message: '' }]
      const arrived = new Promise((resolve) => server.once('request', resolve))
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
      const outcome = client
        .send(new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }))
        .then(
          () => 'answered',
          (error: unknown) => error,
        )
      await arrived
      await jest.advanceTimersByTimeAsync(WAIT_POLICY.requestTimeoutMs)
      jest.useRealTimers()
      const settled = await Promise.race([
        outcome,
        new Promise((resolve) => setTimeout(resolve, 500, 'still waiting')),
      ])
      expect(settled).toMatchObject({ name: 'TimeoutError' })
    } finally {
      jest.useRealTimers()
      client.destroy()
      delete process.env.AWS_MAX_ATTEMPTS
    }
  })

  it('passes an error on as it is when the SDK gives the call no command name', async () => {
    answers = [{ status: 400, type: 'RepositoryNotFoundException', message: 'no such repository' }]
    const lines: string[] = []
    const client = createEcrClient('us-east-1', process.env, { debug: (line) => lines.push(line) })
    client.middlewareStack.add(
      (next, context) => (args) => {
        delete context.commandName
        return next(args)
      },
      { step: 'initialize', priority: 'high' },
    )
    const error = await client
      .send(new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }))
      .catch((thrown: unknown) => thrown)
    client.destroy()
    expect(error).toMatchObject({ name: 'RepositoryNotFoundException' })
    expect(error).not.toHaveProperty('$operation')
    expect(lines).toEqual([
      expect.stringMatching(
        /^AWS ECR request \(us-east-1\): RepositoryNotFoundException \(HTTP 400\), request ID request-1,/,
      ),
    ])
  })

  it('sends the action name in the user agent', async () => {
    let userAgent = ''
    server.once('request', (request) => {
      userAgent = `${request.headers['user-agent']} ${request.headers['x-amz-user-agent'] ?? ''}`
    })
    const client = createEcrClient('us-east-1')
    await startImageScan(client, image, true)
    expect(userAgent).toMatch(/ecr-image-scan\/\d+\.\d+\.\d+/)
    client.destroy()
  })
})

describe('ecrRetryStrategy: the one retry layer and its bound', () => {
  const error = (name: string): SdkError => Object.assign(new Error(name), { name }) as SdkError
  /** How many times a call is sent when every attempt fails with `name` (`errorType` as the SDK classes it). */
  async function attemptsFor(name: string, errorType: 'THROTTLING' | 'TRANSIENT', maxAttempts = 3) {
    jest.useFakeTimers()
    try {
      const strategy = await ecrRetryStrategy(async () => maxAttempts, 'standard')
      let token = (await strategy.acquireInitialRetryToken('ecr')) as StandardRetryToken
      for (let sent = 1; ; sent++) {
        const next = strategy
          .refreshRetryTokenForRetry(token, { error: error(name), errorType })
          .then(
            (renewed) => ({ renewed }),
            () => ({ renewed: undefined }),
          )
        await jest.advanceTimersByTimeAsync(60_000)
        const { renewed } = await next
        if (!renewed) return sent
        token = renewed as StandardRetryToken
      }
    } finally {
      jest.useRealTimers()
    }
  }

  it('sends a failing call AWS_MAX_ATTEMPTS times', async () => {
    expect(await attemptsFor('ServerException', 'TRANSIENT')).toBe(3)
    expect(await attemptsFor('ServerException', 'TRANSIENT', 5)).toBe(5)
  })

  it('sends a throttled call THROTTLED_ATTEMPTS_FACTOR times as often', async () => {
    expect(await attemptsFor('ThrottlingException', 'THROTTLING')).toBe(
      3 * THROTTLED_ATTEMPTS_FACTOR,
    )
  })

  it('sends the 24-hour quota error once, though the SDK classes it as throttling', async () => {
    expect(await attemptsFor('LimitExceededException', 'THROTTLING')).toBe(1)
  })

  /** Milliseconds the next call waits for its first attempt after a call that was throttled once. */
  async function waitAfterThrottling(retryMode: string) {
    jest.useFakeTimers()
    try {
      const strategy = await ecrRetryStrategy(
        async () => 3,
        async () => retryMode,
      )
      const token = await strategy.acquireInitialRetryToken('ecr')
      let renewed: RetryToken | undefined
      void strategy
        .refreshRetryTokenForRetry(token, {
          error: error('ThrottlingException'),
          errorType: 'THROTTLING',
        })
        .then((retry) => (renewed = retry))
      while (!renewed) await jest.advanceTimersByTimeAsync(10)
      strategy.recordSuccess(renewed)
      const asked = Date.now()
      const next = strategy.acquireInitialRetryToken('ecr').then(() => Date.now() - asked)
      await jest.advanceTimersByTimeAsync(60_000)
      return await next
    } finally {
      jest.useRealTimers()
    }
  }

  it("slows the calls after throttling with AWS_RETRY_MODE=adaptive, as the SDK's adaptive mode does", async () => {
    expect(await waitAfterThrottling('standard')).toBe(0)
    expect(await waitAfterThrottling('adaptive')).toBeGreaterThan(0)
  })

  it('gives the retry capacity back when a retried call succeeds, so a long run keeps its retries', async () => {
    jest.useFakeTimers()
    try {
      const strategy = await ecrRetryStrategy(async () => 3, 'standard')
      // Each retry costs the SDK's bucket 5 of its 500; without the refund the 101st is refused.
      for (let call = 1; call <= 120; call++) {
        const token = await strategy.acquireInitialRetryToken('ecr')
        const retry = strategy.refreshRetryTokenForRetry(token, {
          error: error('ServerException'),
          errorType: 'TRANSIENT',
        })
        const settled = retry.then(
          (renewed) => renewed,
          () => undefined,
        )
        await jest.advanceTimersByTimeAsync(60_000)
        const renewed = await settled
        expect({ call, retried: renewed !== undefined }).toEqual({ call, retried: true })
        strategy.recordSuccess(renewed as StandardRetryToken)
      }
    } finally {
      jest.useRealTimers()
    }
  })
})

describe('the debug log of createEcrClient', () => {
  const REQUEST =
    /^AWS ECR StartImageScan \(us-east-1\): (.+), request ID (\S+), (\d+ attempts?)(?: \(retried after (.+)\))?, \d+ ms(?:: (.*))?$/

  async function logOf(run: (client: ReturnType<typeof createEcrClient>) => Promise<unknown>) {
    const lines: string[] = []
    const client = createEcrClient('us-east-1', process.env, { debug: (line) => lines.push(line) })
    try {
      await run(client)
    } finally {
      client.destroy()
    }
    return lines.map((line) => {
      const [, outcome, requestId, attempts, retried, message] = REQUEST.exec(line) ?? [line]
      return { outcome, requestId, attempts, retried, message }
    })
  }

  it('gives a request its status, request ID and attempt', async () => {
    expect(await logOf((client) => startImageScan(client, image, true))).toEqual([
      {
        outcome: 'HTTP 200',
        requestId: 'request-1',
        attempts: '1 attempt',
        retried: undefined,
        message: undefined,
      },
    ])
  })

  it('names what each retried attempt answered', async () => {
    answers = [
      { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
      { status: 500, type: 'ServerException', message: 'internal' },
    ]
    expect(await logOf((client) => startImageScan(client, image, true))).toEqual([
      {
        outcome: 'HTTP 200',
        requestId: 'request-3',
        attempts: '3 attempts',
        retried: 'ThrottlingException (HTTP 400) request-1; ServerException (HTTP 500) request-2',
        message: undefined,
      },
    ])
  })

  it("gives a failed request AWS's error name, status and message", async () => {
    answers = [QUOTA]
    expect(await logOf((client) => startImageScan(client, image, true))).toEqual([
      {
        outcome: 'LimitExceededException (HTTP 400)',
        requestId: 'request-1',
        attempts: '1 attempt',
        retried: undefined,
        message: QUOTA.message,
      },
    ])
  })

  it('keeps an answer with control characters on one plain line', async () => {
    answers = [{ status: 400, type: 'ValidationException', message: 'bad\u001b[31m red\nsecond' }]
    const [entry] = await logOf((client) =>
      startImageScan(client, image, true).catch(() => undefined),
    )
    expect(entry?.message).toBe('bad [31m red second')
  })

  it('names a network failure by its code, without a request ID', async () => {
    const endpoint = process.env.AWS_ENDPOINT_URL_ECR
    process.env.AWS_ENDPOINT_URL_ECR = 'http://127.0.0.1:1'
    process.env.AWS_MAX_ATTEMPTS = '2'
    try {
      const [entry] = await logOf((client) =>
        client
          .send(new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }))
          .catch(() => undefined),
      )
      // Under jest the SDK wraps the last error (an Error of another realm) in a plain Error,
      // so the code shows in the attempt that was retried and in the message.
      expect(entry).toMatchObject({
        requestId: 'none',
        attempts: '2 attempts',
        retried: 'ECONNREFUSED no request ID',
        message: expect.stringContaining('ECONNREFUSED'),
      })
    } finally {
      process.env.AWS_ENDPOINT_URL_ECR = endpoint
      delete process.env.AWS_MAX_ATTEMPTS
    }
  })

  it('gives the time each request took, answered or failed', async () => {
    answers = [{ status: 200, type: '', message: '' }, QUOTA]
    const lines: string[] = []
    const started = Date.now()
    const client = createEcrClient('us-east-1', process.env, { debug: (line) => lines.push(line) })
    await startImageScan(client, image, true)
    await startImageScan(client, image, true)
    client.destroy()
    const elapsed = Date.now() - started
    const times = lines.map((line) => Number(/, (\d+) ms(?:: |$)/.exec(line)?.[1]))
    expect(times).toHaveLength(2)
    for (const ms of times) {
      expect(ms).toBeGreaterThanOrEqual(0)
      expect(ms).toBeLessThanOrEqual(elapsed)
    }
  })

  it('counts the attempts from the retried answers when the SDK gives no metadata', async () => {
    answers = [{ status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }]
    const lines: string[] = []
    const client = createEcrClient('us-east-1', process.env, { debug: (line) => lines.push(line) })
    // Inside the debug log's middleware: hands back the output without its $metadata.
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args)
        const output: Partial<typeof result.output> = { ...result.output }
        delete output.$metadata
        return { ...result, output: output as typeof result.output }
      },
      { step: 'initialize', priority: 'low' },
    )
    await client.send(
      new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }),
    )
    client.destroy()
    expect(lines).toEqual([
      expect.stringMatching(
        /^AWS ECR StartImageScan \(us-east-1\): HTTP \?, request ID none, 2 attempts \(retried after ThrottlingException \(HTTP 400\) request-1\), \d+ ms$/,
      ),
    ])
  })

  it('writes its line even when what failed is not an Error', async () => {
    const lines: string[] = []
    const client = createEcrClient('us-east-1', process.env, { debug: (line) => lines.push(line) })
    client.middlewareStack.add(
      () => () => {
        throw null
      },
      { step: 'build' },
    )
    await client
      .send(new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }))
      .catch(() => undefined)
    client.destroy()
    expect(lines).toEqual([
      expect.stringMatching(
        /^AWS ECR StartImageScan \(us-east-1\): Error, request ID none, 1 attempt, \d+ ms: an error without a message$/,
      ),
    ])
  })

  it('never shows the credentials or the request', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    const saved = process.env.AWS_SECRET_ACCESS_KEY
    process.env.AWS_SECRET_ACCESS_KEY = secret
    try {
      answers = [{ status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }, QUOTA]
      const lines: string[] = []
      const client = createEcrClient('us-east-1', process.env, { debug: (l) => lines.push(l) })
      await startImageScan(client, image, true)
      client.destroy()
      expect(lines).toHaveLength(1)
      expect(lines.join('\n')).not.toMatch(/wJalrXUtnFEMI|AKID|Signature|r1|sha256/)
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = saved
    }
  })

  it('adds its two logging middlewares, by name, with a debug callback', () => {
    const client = createEcrClient('us-east-1', process.env, { debug: () => undefined })
    const names = client.middlewareStack.identify().join(' ')
    expect(names).toContain('ecrImageScanDebugLog')
    expect(names).toContain('ecrImageScanDebugAttempts')
    client.destroy()
  })

  it('adds no middleware without a debug callback', () => {
    const client = createEcrClient('us-east-1')
    const names = client.middlewareStack.identify().join(' ')
    expect(names).toContain('ecrImageScanOperationName')
    expect(names).not.toContain('ecrImageScanDebug')
    client.destroy()
  })
})
