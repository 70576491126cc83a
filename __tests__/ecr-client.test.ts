// The client's retry behaviour, through the real SDK over HTTP: the quota error is answered
// after one request, while throttling and server errors keep the SDK's retries. And its debug
// log: a line per request with the outcome, attempts and AWS request IDs.
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import type { SdkError, StandardRetryToken } from '@smithy/types'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StartImageScanCommand } from '@aws-sdk/client-ecr'
import { THROTTLED_ATTEMPTS_FACTOR, createEcrClient, ecrRetryStrategy } from '../src/ecr/client.js'
import { startImageScan } from '../src/ecr/scan.js'

let server: Server
let answers: { status: number; type: string; message: string }[] = []
let requests: string[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      requests.push(`${request.headers['x-amz-target']}`)
      const answer = answers.shift() ?? { status: 200, type: '', message: '' }
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
})

describe('the debug log of createEcrClient', () => {
  const REQUEST =
    /^AWS ECR StartImageScan \(us-east-1\): (.+), request ID (\S+), (1 attempt|\d+ attempts)(?: \(retried after (.+)\))?, \d+ ms(?:: (.*))?$/

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
      return { outcome, requestId, attempts: parseInt(attempts ?? '', 10), retried, message }
    })
  }

  it('gives a request its status, request ID and attempt', async () => {
    expect(await logOf((client) => startImageScan(client, image, true))).toEqual([
      {
        outcome: 'HTTP 200',
        requestId: 'request-1',
        attempts: 1,
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
        attempts: 3,
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
        attempts: 1,
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
        attempts: 2,
        retried: 'ECONNREFUSED no request ID',
        message: expect.stringContaining('ECONNREFUSED'),
      })
    } finally {
      process.env.AWS_ENDPOINT_URL_ECR = endpoint
      delete process.env.AWS_MAX_ATTEMPTS
    }
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

  it('adds no middleware without a debug callback', () => {
    const client = createEcrClient('us-east-1')
    const names = client.middlewareStack.identify().join(' ')
    expect(names).toContain('ecrImageScanOperationName')
    expect(names).not.toContain('ecrImageScanDebug')
    client.destroy()
  })
})
