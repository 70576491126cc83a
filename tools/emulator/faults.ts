// Injected failures and the global request-rate limit.
import type { Clock, FaultKind, FaultRule } from './types.ts'

const KINDS: readonly FaultKind[] = [
  'throttling',
  'too-many-requests',
  'server-error',
  'service-unavailable',
  'connection-reset',
  'delay',
  'malformed-body',
  'access-denied',
]

export interface FaultDecision {
  delayMs: number
  /** The first matching fault other than a delay; delays add up and come first. */
  fault?: Exclude<FaultKind, 'delay'>
}

interface ActiveRule {
  rule: FaultRule
  from: number
  to: number
  seen: number
}

export function validateFaultRule(rule: FaultRule): void {
  if (!KINDS.includes(rule.kind)) {
    throw new Error(
      `unknown fault kind '${String(rule.kind)}'; expected one of ${KINDS.join(', ')}`,
    )
  }
  if (rule.kind === 'delay' && !(typeof rule.delayMs === 'number' && rule.delayMs >= 0)) {
    throw new Error('a delay fault needs delayMs >= 0')
  }
  if (rule.times !== undefined && rule.requests !== undefined) {
    throw new Error('give either times or requests, not both')
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) {
    throw new Error('times must be an integer >= 1')
  }
  const range = rule.requests
  if (range && !(Number.isInteger(range.from) && range.from >= 1 && range.to >= range.from)) {
    throw new Error('requests must be { from >= 1, to >= from }')
  }
}

export class FaultInjector {
  #rules: ActiveRule[] = []

  add(rule: FaultRule): void {
    validateFaultRule(rule)
    const from = rule.requests?.from ?? 1
    const to = rule.requests?.to ?? (rule.times === undefined ? Infinity : rule.times)
    this.#rules.push({ rule: { ...rule }, from, to, seen: 0 })
  }

  clear(): void {
    this.#rules = []
  }

  /** Counts the request against every rule for its operation and says what to do with it. */
  decide(operation: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 }
    for (const active of this.#rules) {
      if (active.rule.operation !== undefined && active.rule.operation !== operation) continue
      active.seen += 1
      if (active.seen < active.from || active.seen > active.to) continue
      if (active.rule.kind === 'delay') decision.delayMs += active.rule.delayMs ?? 0
      else decision.fault ??= active.rule.kind
    }
    return decision
  }
}

/**
 * A token bucket holding one second's worth of requests (at least one), refilled on the emulator
 * clock so that tests can refill it without waiting.
 */
export class RateLimiter {
  readonly #clock: Clock
  #perSecond: number | undefined
  #tokens = 0
  #refilledAt = 0

  constructor(clock: Clock) {
    this.#clock = clock
  }

  set(requestsPerSecond: number | undefined): void {
    if (requestsPerSecond !== undefined && !(requestsPerSecond > 0)) {
      throw new Error('the rate limit must be a positive number of requests per second')
    }
    this.#perSecond = requestsPerSecond
    this.#tokens = requestsPerSecond === undefined ? 0 : Math.max(1, requestsPerSecond)
    this.#refilledAt = this.#clock.now()
  }

  /** False when the request is over the limit. */
  take(): boolean {
    if (this.#perSecond === undefined) return true
    const now = this.#clock.now()
    const refill = (Math.max(0, now - this.#refilledAt) / 1000) * this.#perSecond
    this.#tokens = Math.min(Math.max(1, this.#perSecond), this.#tokens + refill)
    this.#refilledAt = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}
