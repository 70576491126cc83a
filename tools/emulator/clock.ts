import type { AdjustableClock } from './types.ts'

/** Real time, plus whatever offset `advance` added, so a live emulator can skip a 24-hour quota. */
export class SystemClock implements AdjustableClock {
  #offsetMs = 0

  now(): number {
    return Date.now() + this.#offsetMs
  }

  advance(ms: number): void {
    this.#offsetMs += ms
  }
}

/** Time that moves only when told to, for tests that must not wait. */
export class ManualClock implements AdjustableClock {
  #nowMs: number

  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.#nowMs = startMs
  }

  now(): number {
    return this.#nowMs
  }

  advance(ms: number): void {
    this.#nowMs += ms
  }

  set(ms: number): void {
    this.#nowMs = ms
  }
}

export function isAdjustable(clock: { now(): number }): clock is AdjustableClock {
  return typeof (clock as Partial<AdjustableClock>).advance === 'function'
}
