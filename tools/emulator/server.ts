// HTTP: AWS JSON 1.1 for the ECR API on POST / (any path outside /_emulator/), and the control
// endpoints under /_emulator/<command>. Faults and the rate limit act here, before an operation runs.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { EcrError, accessDenied } from './errors.ts'
import type { FaultInjector, RateLimiter } from './faults.ts'
import type { Registries } from './model.ts'
import { OPERATIONS } from './operations.ts'
import type { Clock, InFlightRequest, RequestLogEntry } from './types.ts'

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.'
const JSON_1_1 = 'application/x-amz-json-1.1'
export const CONTROL_PREFIX = '/_emulator/'

type Listener<T> = (value: T) => void

export class RequestLog {
  #entries: RequestLogEntry[] = []
  #seq = 0
  #arrivalListeners = new Set<Listener<InFlightRequest>>()
  #answerListeners = new Set<Listener<RequestLogEntry>>()

  nextSeq(): number {
    this.#seq += 1
    return this.#seq
  }

  /** Calls `listener` as each request arrives; returns a function that stops it. */
  onArrival(listener: Listener<InFlightRequest>): () => void {
    this.#arrivalListeners.add(listener)
    return () => this.#arrivalListeners.delete(listener)
  }

  /** Calls `listener` with each request's entry once it is answered; returns a function that stops it. */
  onAnswer(listener: Listener<RequestLogEntry>): () => void {
    this.#answerListeners.add(listener)
    return () => this.#answerListeners.delete(listener)
  }

  arrived(request: InFlightRequest): void {
    for (const listener of [...this.#arrivalListeners]) listener(request)
  }

  add(entry: RequestLogEntry): void {
    // Entries arrive when answered; a delayed request must still appear in arrival order.
    this.#entries.push(entry)
    this.#entries.sort((a, b) => a.seq - b.seq)
    for (const listener of [...this.#answerListeners]) listener({ ...entry })
  }

  entries(): RequestLogEntry[] {
    return this.#entries.map((entry) => ({ ...entry }))
  }

  clear(): void {
    this.#entries = []
    this.#seq = 0
  }

  /** Forgets every listener: a test's listeners must not see the next test's requests. */
  clearListeners(): void {
    this.#arrivalListeners.clear()
    this.#answerListeners.clear()
  }
}

export interface ServerContext {
  clock: Clock
  registries(): Registries
  faults: FaultInjector
  rateLimiter: RateLimiter
  log: RequestLog
  control(command: string, body: unknown): unknown
}

interface Answer {
  status: number
  body: string
  contentType?: string
  errorName?: string
}

function jsonAnswer(status: number, body: unknown): Answer {
  return { status, body: JSON.stringify(body) }
}

function errorAnswer(error: EcrError): Answer {
  return {
    ...jsonAnswer(error.status, { __type: error.errorName, message: error.message }),
    errorName: error.errorName,
  }
}

function textAnswer(status: number, text: string): Answer {
  return { status, body: text, contentType: 'text/plain' }
}

const throttled = (): Answer => errorAnswer(new EcrError('ThrottlingException', 'Rate exceeded'))

/** The repository the request names is the resource IAM refuses; `*` for registry-wide actions. */
function denied(context: ServerContext, operation: string, body: unknown): Answer {
  const { accountId, region } = context.registries().caller
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const { repositoryName, registryId } = input
  const resource =
    typeof repositoryName === 'string'
      ? `arn:aws:ecr:${region}:${typeof registryId === 'string' ? registryId : accountId}:repository/${repositoryName}`
      : '*'
  return errorAnswer(accessDenied(operation, accountId, resource))
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(response: ServerResponse, answer: Answer): void {
  const headers: Record<string, string | number> = {
    'content-type': answer.contentType ?? JSON_1_1,
    'content-length': Buffer.byteLength(answer.body),
    'x-amzn-RequestId': randomUUID(),
  }
  if (answer.errorName) headers['x-amzn-ErrorType'] = answer.errorName
  response.writeHead(answer.status, headers)
  response.end(answer.body)
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

function runOperation(context: ServerContext, operation: string, body: unknown): Answer {
  const handler = OPERATIONS[operation]
  try {
    if (!handler) {
      throw new EcrError('UnknownOperationException', `Unknown operation '${operation}'`)
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new EcrError('SerializationException', 'The request body must be a JSON object')
    }
    return jsonAnswer(200, handler(context.registries(), body as Record<string, unknown>))
  } catch (error) {
    if (error instanceof EcrError) return errorAnswer(error)
    console.error(`ECR emulator: ${operation} failed:`, error)
    return errorAnswer(new EcrError('ServerException', String(error), 500))
  }
}

async function handleApi(
  context: ServerContext,
  request: IncomingMessage,
  response: ServerResponse,
  text: string,
): Promise<void> {
  const target = String(request.headers['x-amz-target'] ?? '')
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target
  const parsed = parseBody(text)
  const entry: RequestLogEntry = {
    seq: context.log.nextSeq(),
    operation,
    atMs: context.clock.now(),
    body: parsed.ok ? parsed.value : text,
    status: 0,
  }
  const decision = context.faults.decide(operation)
  if (!context.rateLimiter.take()) entry.fault = 'rate-limit'
  else if (decision.fault) entry.fault = decision.fault

  let answered = false
  let release = (): void => {}
  let finished: (entry: RequestLogEntry) => void = () => {}
  const done = new Promise<RequestLogEntry>((resolve) => (finished = resolve))
  // 'close' also follows a sent answer or a reset; before either, it means the client hung up.
  response.once('close', () => {
    if (!answered && !response.writableEnded) entry.abandoned = true
  })
  context.log.arrived({
    seq: entry.seq,
    operation,
    body: entry.body,
    get answered() {
      return answered
    },
    done,
    release: () => release(),
  })
  if (decision.delayMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, decision.delayMs)
      release = () => {
        clearTimeout(timer)
        resolve()
      }
      // A client that gave up, or a closing emulator, ends the delay: no timer outlives a test.
      response.once('close', release)
    })
  }

  let answer: Answer | undefined
  switch (entry.fault) {
    case 'rate-limit':
    case 'throttling':
      answer = throttled()
      break
    case 'too-many-requests':
      answer = textAnswer(429, 'Too Many Requests')
      break
    case 'server-error':
      answer = errorAnswer(new EcrError('ServerException', 'Internal server error', 500))
      break
    case 'service-unavailable':
      answer = textAnswer(503, 'Service Unavailable')
      break
    case 'malformed-body':
      answer = { status: 200, body: '{"imageScanStatus": {"status": "COMPL' }
      break
    case 'access-denied':
      answer = denied(context, operation, entry.body)
      break
    case 'connection-reset':
      request.socket.destroy()
      break
    default:
      answer = parsed.ok
        ? runOperation(context, operation, parsed.value)
        : errorAnswer(new EcrError('SerializationException', 'The request body is not valid JSON'))
  }
  if (answer) {
    entry.status = answer.status
    if (answer.errorName) entry.errorName = answer.errorName
    if (!entry.abandoned) send(response, answer)
  }
  answered = true
  context.log.add(entry)
  finished({ ...entry })
}

function handleControl(
  context: ServerContext,
  response: ServerResponse,
  path: string,
  text: string,
): void {
  const command = path.slice(CONTROL_PREFIX.length)
  const parsed = parseBody(text)
  try {
    if (!parsed.ok) throw new Error('the request body is not valid JSON')
    const result = context.control(command, parsed.value)
    send(response, { ...jsonAnswer(200, result ?? {}), contentType: 'application/json' })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    send(response, { ...jsonAnswer(400, { error: message }), contentType: 'application/json' })
  }
}

export function requestHandler(
  context: ServerContext,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/'
    readBody(request)
      .then((text) =>
        path.startsWith(CONTROL_PREFIX)
          ? handleControl(context, response, path, text)
          : handleApi(context, request, response, text),
      )
      .catch((error: unknown) => {
        console.error('ECR emulator: request failed:', error)
        if (!response.headersSent) send(response, textAnswer(500, 'emulator failure'))
      })
  }
}
