// The ECR clients of one step: one per region, made when first needed, all behind one request
// budget (ECR publishes no rate, and N waiting images must not mean N times the requests).

import type { ECRClient } from '@aws-sdk/client-ecr'
import type { Clock } from '../kernel/clock.js'
import type { WaitPolicy } from '../kernel/wait-policy.js'
import { createEcrClient } from '../ecr/client.js'
import { RateLimiter, limitRequests } from '../ecr/rate-limit.js'

export interface EcrClients {
  /** The client for `region`, made on first use. */
  client(region: string): ECRClient
  /** The shared budget; its `throttled` counts ECR's throttling answers. */
  limiter: RateLimiter
  /** Closes every client's connections. */
  destroy(): void
}

/**
 * Clients configured from `env` as the SDK reads it (credentials, endpoints, retries, proxies),
 * with the policy's request timeouts, `requestsPerSecond` across all of them, and, with `debug`,
 * a debug line per request.
 */
export function ecrClients(
  requestsPerSecond: number,
  env: Record<string, string | undefined>,
  options: { clock: Clock; policy: WaitPolicy; debug?: (message: string) => void },
): EcrClients {
  const limiter = new RateLimiter(requestsPerSecond, options.clock)
  const clients = new Map<string, ECRClient>()
  return {
    limiter,
    client: (region) => {
      let regional = clients.get(region)
      if (!regional) {
        regional = createEcrClient(region, env, { policy: options.policy, debug: options.debug })
        limitRequests(regional, limiter)
        clients.set(region, regional)
      }
      return regional
    },
    destroy: () => {
      for (const regional of clients.values()) regional.destroy()
    },
  }
}
