// The ECR client the action uses: the SDK's own configuration (credentials chain, region,
// AWS_ENDPOINT_URL_ECR, AWS_USE_FIPS_ENDPOINT, AWS_MAX_ATTEMPTS, AWS_RETRY_MODE), except that the
// quota error is final and HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured. With a debug
// callback, every request is logged: operation, outcome, attempts and AWS request IDs.

import { ECRClient } from '@aws-sdk/client-ecr'
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { AdaptiveRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry'
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  MetadataBearer,
  Provider,
  ResponseMetadata,
  RetryStrategyV2,
  StandardRetryToken,
} from '@smithy/types'
import { errorMessage } from '../kernel/errors.js'
import { proxyEnvironment } from '../kernel/proxy.js'
import { plainLine } from '../kernel/text.js'
import { ACTION_NAME, ACTION_VERSION } from '../kernel/version.js'
import { isQuotaError } from './errors.js'
import { WAIT_POLICY, type WaitPolicy } from '../kernel/wait-policy.js'

export interface EcrClientOptions {
  /**
   * Per attempt, in ms (default: WAIT_POLICY's): the SDK's defaults never time out a request that
   * hangs, which would hold the step until the job's 6-hour limit.
   */
  policy?: Pick<WaitPolicy, 'connectionTimeoutMs' | 'requestTimeoutMs'>
  /**
   * Receives one line per request (after its retries), for the step's debug log. Without it no
   * logging middleware is added. It must not be the runner's info log: lines carry AWS's text.
   */
  debug?: (message: string) => void
}

/**
 * The ECR client for `region`, configured from `env` as the SDK reads it, plus the action's
 * timeouts, proxy agents, final quota error and, with `options.debug`, a line per request.
 */
export function createEcrClient(
  region: string,
  env: Record<string, string | undefined> = process.env,
  options: EcrClientOptions = {},
): ECRClient {
  const policy = options.policy ?? WAIT_POLICY
  const client = new ECRClient({
    region,
    customUserAgent: [[ACTION_NAME, ACTION_VERSION]],
    requestHandler: {
      connectionTimeout: policy.connectionTimeoutMs,
      requestTimeout: policy.requestTimeoutMs,
      // Without it a request past requestTimeout is only logged as a warning, and goes on.
      throwOnRequestTimeout: true,
      ...proxyAgents(env),
    },
  })
  // The one retry layer: the SDK's strategy (standard or adaptive, as AWS_RETRY_MODE says) with
  // the bound stated at ecrRetryStrategy.
  const { maxAttempts, retryMode } = client.config
  let strategy: Promise<RetryStrategyV2> | undefined
  client.config.retryStrategy = () => (strategy ??= ecrRetryStrategy(maxAttempts, retryMode))
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args)
      } catch (error) {
        // Error messages name the operation that failed; the SDK's errors do not carry it.
        if (error && typeof error === 'object' && context.commandName) {
          Object.assign(error, { $operation: context.commandName.replace(/Command$/, '') })
        }
        throw error
      }
    },
    { step: 'initialize', name: 'ecrImageScanOperationName', override: true },
  )
  if (options.debug) logRequests(client, region, options.debug)
  return client
}

/** Throttling gets this many times AWS_MAX_ATTEMPTS: a busy moment slows the step down. */
export const THROTTLED_ATTEMPTS_FACTOR = 3

/**
 * The action's retry bound, on the SDK's own retry strategy and error classification: a call is
 * sent at most `maxAttempts` times (AWS_MAX_ATTEMPTS, default 3) for transient errors, at most
 * THROTTLED_ATTEMPTS_FACTOR times that when ECR throttles (the step's rate limit halves
 * meanwhile, so throttling that outlasts a few attempts slows the step instead of failing an
 * image), and the 24-hour scan quota once: the SDK classes LimitExceededException as throttling,
 * but ECR's answer stands for a day.
 */
export async function ecrRetryStrategy(
  maxAttempts: Provider<number>,
  retryMode: string | Provider<string>,
): Promise<RetryStrategyV2> {
  const allowed = await maxAttempts()
  const mode = typeof retryMode === 'string' ? retryMode : await retryMode()
  const Strategy = mode === 'adaptive' ? AdaptiveRetryStrategy : StandardRetryStrategy
  const sdk = new Strategy(async () => allowed * THROTTLED_ATTEMPTS_FACTOR)
  return {
    acquireInitialRetryToken: (scope) => sdk.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token: StandardRetryToken, info) => {
      const attempts = token.getRetryCount() + 1
      const final =
        isQuotaError(info.error) || (info.errorType !== 'THROTTLING' && attempts >= allowed)
      return final ? Promise.reject(info.error) : sdk.refreshRetryTokenForRetry(token, info)
    },
    recordSuccess: (token: StandardRetryToken) => sdk.recordSuccess(token),
  }
}

/**
 * The SDK ignores proxy variables; Node's own agents implement them (`proxyEnv`: CONNECT tunnels
 * for https, NO_PROXY lists, lower-case names winning as in curl), so no proxy library is
 * bundled. Without a proxy the SDK keeps its default agents.
 */
function proxyAgents(
  env: Record<string, string | undefined>,
): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } | undefined {
  const proxyEnv = proxyEnvironment(env)
  if (!proxyEnv) return undefined
  // keepAlive and maxSockets as in the SDK's own default agents.
  const options = { keepAlive: true, maxSockets: 50, proxyEnv }
  return { httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent(options) }
}

/** One attempt that failed: what AWS (or the network) answered. */
interface FailedAttempt {
  outcome: string
  requestId?: string
}

/**
 * A line per request to `debug`, once its retries are over: the operation, the outcome (HTTP
 * status, or the error's name and message), the AWS request ID, the attempts (with what each
 * retried one answered) and the time taken. Never the request's parameters or headers, so
 * nothing secret is in the line.
 */
function logRequests(client: ECRClient, region: string, log: (message: string) => void): void {
  // The names and messages come from AWS or whatever answered instead (a proxy): one plain line.
  const debug = (line: string): void => log(plainLine(line, 2000))
  const failedAttempts = new WeakMap<HandlerExecutionContext, FailedAttempt[]>()
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = Date.now()
      const request = `${(context.commandName ?? 'request').replace(/Command$/, '')} (${region})`
      try {
        const result = await next(args)
        const metadata = (result.output as Partial<MetadataBearer>).$metadata
        const outcome = `HTTP ${metadata?.httpStatusCode ?? '?'}`
        const retried = failedAttempts.get(context) ?? []
        debug(requestLine(request, outcome, metadata, retried, Date.now() - started))
        return result
      } catch (error) {
        // The last failed attempt is the request's own outcome.
        const retried = (failedAttempts.get(context) ?? []).slice(0, -1)
        const line = requestLine(
          request,
          errorOutcome(error),
          responseMetadata(error),
          retried,
          Date.now() - started,
        )
        debug(`${line}: ${errorMessage(error)}`)
        throw error
      }
    },
    { step: 'initialize', name: 'ecrImageScanDebugLog', override: true },
  )
  // Inside the retries: sees each attempt, to name the answers that were retried.
  client.middlewareStack.addRelativeTo(
    <Input extends object, Output extends MetadataBearer>(
      next: FinalizeHandler<Input, Output>,
      context: HandlerExecutionContext,
    ) =>
      async (args: FinalizeHandlerArguments<Input>) => {
        try {
          return await next(args)
        } catch (error) {
          const attempts = failedAttempts.get(context) ?? []
          attempts.push({
            outcome: errorOutcome(error),
            requestId: responseMetadata(error)?.requestId,
          })
          failedAttempts.set(context, attempts)
          throw error
        }
      },
    {
      name: 'ecrImageScanDebugAttempts',
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      override: true,
    },
  )
}

/** `AWS ECR StartImageScan (us-east-1): HTTP 200, request ID …, 2 attempts (retried after …), 80 ms` */
function requestLine(
  request: string,
  outcome: string,
  metadata: ResponseMetadata | undefined,
  retried: FailedAttempt[],
  ms: number,
): string {
  const attempts = metadata?.attempts ?? retried.length + 1
  const after = retried
    .map(({ outcome, requestId }) => `${outcome} ${requestId ?? 'no request ID'}`)
    .join('; ')
  return [
    `AWS ECR ${request}: ${outcome}`,
    `request ID ${metadata?.requestId ?? 'none'}`,
    `${attempts} attempt${attempts === 1 ? '' : 's'}${after ? ` (retried after ${after})` : ''}`,
    `${ms} ms`,
  ].join(', ')
}

function responseMetadata(error: unknown): ResponseMetadata | undefined {
  if (error && typeof error === 'object' && '$metadata' in error) {
    return (error as { $metadata?: ResponseMetadata }).$metadata
  }
  return undefined
}

/** `ThrottlingException (HTTP 400)`, or a network error's code such as `ECONNRESET`. */
function errorOutcome(error: unknown): string {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown }
  const label =
    typeof name === 'string' && name && name !== 'Error'
      ? name
      : typeof code === 'string' && code
        ? code
        : 'Error'
  const status = responseMetadata(error)?.httpStatusCode
  return status ? `${label} (HTTP ${status})` : label
}
