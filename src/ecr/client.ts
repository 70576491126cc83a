// The ECR client the action uses: the SDK's own configuration (credentials chain, region,
// AWS_ENDPOINT_URL_ECR, AWS_USE_FIPS_ENDPOINT, AWS_MAX_ATTEMPTS, AWS_RETRY_MODE), except that the
// quota error is final and HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured.

import { ECRClient } from '@aws-sdk/client-ecr'
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import type { RetryErrorInfo, RetryStrategy, RetryStrategyV2, RetryToken } from '@smithy/types'
import { proxyEnvironment } from '../proxy.js'
import { ACTION_NAME, ACTION_VERSION } from '../version.js'
import { isQuotaError } from './errors.js'

/**
 * Per attempt: the SDK's defaults never time out a request that hangs (or only after minutes of
 * silence), which would hold the step until the job's 6-hour limit. ECR's answers take well under
 * a second; a stalled attempt is abandoned and retried like any other transient failure.
 */
export const CONNECTION_TIMEOUT_MS = 5_000
export const REQUEST_TIMEOUT_MS = 10_000

export function createEcrClient(
  region: string,
  env: Record<string, string | undefined> = process.env,
): ECRClient {
  const client = new ECRClient({
    region,
    customUserAgent: [[ACTION_NAME, ACTION_VERSION]],
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without it a request past requestTimeout is only logged as a warning, and goes on.
      throwOnRequestTimeout: true,
      ...proxyAgents(env),
    },
  })
  // The SDK classes LimitExceededException as throttling and retries it (3 requests, ~1.4 s),
  // but ECR's scan quota lasts 24 hours. Wrapping the strategy the SDK resolved keeps every
  // retry setting the user made and real throttling retried, and answers the quota once.
  const resolveSdkStrategy = client.config.retryStrategy
  let strategy: Promise<RetryStrategy | RetryStrategyV2> | undefined
  client.config.retryStrategy = () => (strategy ??= resolveSdkStrategy().then(quotaIsFinal))
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
  return client
}

export function quotaIsFinal(
  strategy: RetryStrategy | RetryStrategyV2,
): RetryStrategy | RetryStrategyV2 {
  if (!('refreshRetryTokenForRetry' in strategy)) return strategy
  return {
    acquireInitialRetryToken: (scope: string) => strategy.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token: RetryToken, info: RetryErrorInfo) =>
      isQuotaError(info.error)
        ? Promise.reject(info.error)
        : strategy.refreshRetryTokenForRetry(token, info),
    recordSuccess: (token: RetryToken) => strategy.recordSuccess(token),
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
