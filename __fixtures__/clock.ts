import type { Clock } from '../src/kernel/clock.js'

/** Virtual time: sleeping moves the clock forward at once, and every sleep is recorded. */
export class FakeClock implements Clock {
  time: number
  readonly sleeps: number[] = []
  constructor(start = 1_000_000) {
    this.time = start
  }
  now(): number {
    return this.time
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return
    this.sleeps.push(ms)
    this.time += ms
  }
  advance(ms: number): void {
    this.time += ms
  }
}
