// An ECR client whose requests never leave the process: the real SDK builds, signs and retries
// each request, and this transport records it and answers from a script. For tests of what the
// ecr/ modules send, how they read the answer and what reaches the wire when a job is cancelled.
import { ECRClient } from '@aws-sdk/client-ecr'
import { Readable } from 'node:stream'

export interface SentRequest {
  /** The ECR operation, e.g. DescribeImages. */
  operation: string
  /** The JSON body as sent. */
  input: Record<string, unknown>
  /** The abort signal the SDK handed to the transport. */
  signal?: AbortSignal
}

export type Answer =
  | { status?: 200; body: Record<string, unknown> }
  | { status: number; error: string; message?: string }

export interface FakeEcr {
  client: ECRClient
  sent: SentRequest[]
  /** Answers in order; the last one repeats. */
  answer(...answers: Answer[]): void
}

export function fakeEcr(): FakeEcr {
  const sent: SentRequest[] = []
  let script: Answer[] = [{ body: {} }]
  const client = new ECRClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // One attempt: the SDK's retries wait in real time, and client.ts owns the retry policy.
    maxAttempts: 1,
    requestHandler: {
      handle: async (
        request: { headers: Record<string, string>; body?: unknown },
        options?: { abortSignal?: AbortSignal },
      ) => {
        const signal = options?.abortSignal
        sent.push({
          operation: `${request.headers['x-amz-target']}`.split('.').pop() ?? '',
          input: JSON.parse(bodyText(request.body)) as Record<string, unknown>,
          signal,
        })
        if (signal?.aborted) {
          throw Object.assign(new Error('Request aborted'), { name: 'AbortError' })
        }
        const answer = (script.length > 1 ? script.shift() : script[0]) as Answer
        const status = answer.status ?? 200
        const payload =
          'error' in answer ? { __type: answer.error, message: answer.message ?? '' } : answer.body
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from(JSON.stringify(payload))]),
          },
        }
      },
    },
  })
  return {
    client,
    sent,
    answer: (...answers) => {
      script = answers
    },
  }
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '{}'
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return new TextDecoder().decode(body)
  return String(body)
}
