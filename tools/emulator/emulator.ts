// The in-process API: start a server, seed it, steer its scans, faults and clock, read its log.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SystemClock, isAdjustable } from './clock.ts'
import { runControlCommand } from './control.ts'
import { FaultInjector, RateLimiter } from './faults.ts'
import { Registries } from './model.ts'
import { RequestLog, requestHandler } from './server.ts'
import type {
  Clock,
  CreateRepositoryOptions,
  EmulatorOptions,
  FaultRule,
  InFlightRequest,
  PutImageIndexOptions,
  PutImageIndexResult,
  PutImageOptions,
  RegistryScanningOptions,
  RequestLogEntry,
  ScanProfile,
  ScanProfileTarget,
  ScanType,
  SeedDocument,
  SeedResult,
} from './types.ts'

export const DEFAULT_ACCOUNT_ID = '123456789012'
export const DEFAULT_REGION = 'us-east-1'

export class Emulator {
  readonly clock: Clock
  readonly region: string
  readonly accountId: string
  readonly #faults = new FaultInjector()
  readonly #rateLimiter: RateLimiter
  readonly #log = new RequestLog()
  readonly #server: Server
  #registries: Registries
  /** TCP connections clients opened since start or the last reset. */
  #connections = 0

  /** Use `startEmulator`; a constructed emulator is not listening yet. */
  constructor(options: EmulatorOptions = {}) {
    this.clock = options.clock ?? new SystemClock()
    this.region = options.region ?? DEFAULT_REGION
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID
    this.#registries = new Registries(this.clock, this.accountId, this.region)
    this.#rateLimiter = new RateLimiter(this.clock)
    this.#server = createServer(
      requestHandler({
        clock: this.clock,
        registries: () => this.#registries,
        faults: this.#faults,
        rateLimiter: this.#rateLimiter,
        log: this.#log,
        control: (command, body) => runControlCommand(this, command, body),
      }),
    )
    this.#server.on('connection', () => {
      this.#connections += 1
    })
  }

  /**
   * TCP connections clients opened since start or the last reset: a client that keeps its
   * connections alive opens one per request it has in flight at once, not one per request.
   */
  connectionsOpened(): number {
    return this.#connections
  }

  async listen(host = '127.0.0.1', port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject)
        resolve()
      })
    })
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port
  }

  get url(): string {
    const { address, family } = this.#server.address() as AddressInfo
    // A wildcard address is where the server listens, not where a client can reach it.
    const reachable = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address
    return `http://${family === 'IPv6' ? `[${reachable}]` : reachable}:${this.port}`
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()))
    // The SDK keeps connections alive; without this, close() waits for them to time out.
    this.#server.closeAllConnections()
    await closed
  }

  /** Every ECR API request since start, the last reset or clearLog, oldest first. */
  requests(): RequestLogEntry[] {
    return this.#log.entries()
  }

  clearLog(): void {
    this.#log.clear()
  }

  /**
   * Calls `listener` as each ECR request arrives, once its faults are decided and before any
   * delay or answer; returns a function that stops it. `reset` drops every listener.
   */
  onRequest(listener: (request: InFlightRequest) => void): () => void {
    return this.#log.onArrival(listener)
  }

  /** Calls `listener` with each request's log entry as it is answered; returns a function that stops it. */
  onAnswered(listener: (entry: RequestLogEntry) => void): () => void {
    return this.#log.onAnswer(listener)
  }

  /**
   * The next request for `operation` (any operation when omitted) to arrive, while it is in
   * flight: with a delay fault, a test can act while the client waits for the answer.
   */
  nextRequest(operation?: string): Promise<InFlightRequest> {
    return new Promise((resolve) => {
      const stop = this.onRequest((request) => {
        if (operation !== undefined && request.operation !== operation) return
        stop()
        resolve(request)
      })
    })
  }

  /**
   * Empties the registry, forgets other accounts' registries and drops faults, the rate limit,
   * the log and its listeners, and the count of connections; the clock keeps its time.
   */
  reset(): void {
    this.#connections = 0
    this.#registries = new Registries(this.clock, this.accountId, this.region)
    this.#faults.clear()
    this.#rateLimiter.set(undefined)
    this.#log.clear()
    this.#log.clearListeners()
  }

  now(): number {
    return this.clock.now()
  }

  advanceClock(ms: number): number {
    if (!isAdjustable(this.clock)) throw new Error('this emulator clock cannot be advanced')
    this.clock.advance(ms)
    return this.clock.now()
  }

  // A `registryId` other than the caller's account seeds that account's registry, made on first use.
  createRepository(repositoryName: string, options: CreateRepositoryOptions = {}): void {
    this.#registries.ensure(options.registryId).createRepository(repositoryName, options)
  }

  /** Stores an image (creating its repository if needed) and returns its digest. */
  putImage(options: PutImageOptions): string {
    return this.#registries.ensure(options.registryId).putImage(options)
  }

  putImageIndex(options: PutImageIndexOptions): PutImageIndexResult {
    return this.#registries.ensure(options.registryId).putImageIndex(options)
  }

  setScanProfile(target: ScanProfileTarget, profile: ScanProfile): void {
    this.#registries.ensure(target.registryId).setScanProfile(target, profile)
  }

  /** As PutRegistryScanningConfiguration, which only reaches the caller's registry, would set it. */
  setRegistryScanType(scanType: ScanType, options: RegistryScanningOptions = {}): void {
    this.#registries.ensure(options.registryId).setScanType(scanType, options.rules)
  }

  /** Records a basic scan started at `atMs` (default now): it counts against the daily quota. */
  markScanned(repositoryName: string, imageDigest: string, atMs?: number): void {
    this.#registries.caller.markScanned(repositoryName, imageDigest, atMs)
  }

  setImageArchived(repositoryName: string, imageDigest: string, archived = true): void {
    this.#registries.caller.setImageArchived(repositoryName, imageDigest, archived)
  }

  injectFault(rule: FaultRule): void {
    this.#faults.add(rule)
  }

  clearFaults(): void {
    this.#faults.clear()
  }

  /** Requests per second over all operations; `undefined` removes the limit. */
  setRateLimit(requestsPerSecond: number | undefined): void {
    this.#rateLimiter.set(requestsPerSecond)
  }

  seed(document: SeedDocument): SeedResult {
    const result: SeedResult = { images: [], imageIndexes: [] }
    const caller = { scanType: document.registryScanType, rules: document.scanningRules }
    for (const { registryId, scanType, rules } of [
      ...(document.registries ?? []),
      { registryId: undefined, ...caller },
    ]) {
      const registry = this.#registries.ensure(registryId)
      registry.setScanType(scanType ?? registry.scanType, rules)
    }
    if (document.defaultScanProfile) this.setScanProfile({}, document.defaultScanProfile)
    for (const repository of document.repositories ?? []) {
      this.createRepository(repository.repositoryName, repository)
    }
    for (const { scannedMsAgo, ...image } of document.images ?? []) {
      const scannedAt = scannedMsAgo === undefined ? image.scannedAt : this.now() - scannedMsAgo
      const imageDigest = this.putImage({ ...image, scannedAt })
      const { registryId, repositoryName, tag } = image
      result.images.push({ registryId, repositoryName, tag, imageDigest })
    }
    for (const index of document.imageIndexes ?? []) {
      const stored = this.putImageIndex(index)
      const { registryId, repositoryName, tag } = index
      result.imageIndexes.push({ registryId, repositoryName, tag, ...stored })
    }
    for (const fault of document.faults ?? []) this.injectFault(fault)
    if (document.rateLimit !== undefined) this.setRateLimit(document.rateLimit)
    return result
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new Emulator(options)
  await emulator.listen(options.host, options.port)
  return emulator
}
