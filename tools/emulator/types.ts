// Public types of the ECR emulator. Times given to and returned by the emulator API are epoch
// milliseconds; only the wire format (what the SDK sees) uses epoch seconds.

export interface Clock {
  now(): number
}

/** A clock whose time a test or the `/_emulator/advance-clock` endpoint can move forward. */
export interface AdjustableClock extends Clock {
  advance(ms: number): void
}

export type ScanType = 'BASIC' | 'ENHANCED'

export type ScanStatus =
  | 'IN_PROGRESS'
  | 'PENDING'
  | 'COMPLETE'
  | 'FAILED'
  | 'UNSUPPORTED_IMAGE'
  | 'ACTIVE'
  | 'SCAN_ELIGIBILITY_EXPIRED'
  | 'FINDINGS_UNAVAILABLE'
  | 'LIMIT_EXCEEDED'
  | 'IMAGE_ARCHIVED'

/**
 * The status a scan settles in once its `durationMs` has passed: any of ECR's (`IN_PROGRESS` or
 * `PENDING` for a scan that never ends) or any other string, as a status ECR may add one day.
 */
export type ScanOutcome = ScanStatus | (string & Record<never, never>)

/** How often a registry scanning rule scans the repositories its filters match. */
export type ScanFrequency = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL'

export interface ScanningRepositoryFilter {
  /** Lower case letters, digits, `._-/` and the wildcard `*` (see scanning.ts for the matching). */
  filter: string
  filterType: 'WILDCARD'
}

/** A rule of PutRegistryScanningConfiguration, in ECR's shape. */
export interface ScanningRule {
  scanFrequency: ScanFrequency
  repositoryFilters: ScanningRepositoryFilter[]
}

/** A registry other than the caller's, by its 12-digit account ID; the caller's when omitted. */
export interface InRegistry {
  registryId?: string
}

export interface RegistryScanningOptions extends InRegistry {
  /** Replaces the registry's rules; they stay as they were when omitted. */
  rules?: ScanningRule[]
}

export type FindingSeverity =
  'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNDEFINED' | 'UNTRIAGED'

/** A basic-scanning finding, exactly as ECR puts it on the wire. */
export interface BasicFinding {
  name: string
  severity: FindingSeverity
  description?: string
  uri?: string
  attributes?: { key: string; value?: string }[]
}

/**
 * An Amazon Inspector finding as ECR puts it on the wire (timestamps such as `firstObservedAt`
 * are epoch seconds). Fields the emulator does not look at pass through unchanged.
 */
export interface EnhancedFinding {
  severity: FindingSeverity
  findingArn?: string
  title?: string
  description?: string
  score?: number
  status?: string
  type?: string
  fixAvailable?: string
  exploitAvailable?: string
  packageVulnerabilityDetails?: {
    vulnerabilityId?: string
    sourceUrl?: string
    vulnerablePackages?: { name?: string; version?: string; fixedInVersion?: string }[]
    [key: string]: unknown
  }
  remediation?: { recommendation?: { text?: string; url?: string } }
  [key: string]: unknown
}

/** Findings that appear `afterMs` after the scan reached its outcome (enhanced scans keep adding). */
export interface LateFindings {
  afterMs: number
  findings?: BasicFinding[]
  enhancedFindings?: EnhancedFinding[]
}

/**
 * How a scan of an image behaves. Basic scans are IN_PROGRESS and enhanced scans PENDING for
 * `durationMs` after they start, then report `outcome` (by default COMPLETE; on an ENHANCED
 * registry ACTIVE, or COMPLETE for a repository its rules scan on push).
 */
export interface ScanProfile {
  durationMs?: number
  outcome?: ScanOutcome
  /** Defaults to ECR's text for the outcome, where there is one; `null` leaves it out. */
  description?: string | null
  findings?: BasicFinding[]
  enhancedFindings?: EnhancedFinding[]
  lateFindings?: LateFindings[]
  /**
   * The answer's `imageScanFindings` once the outcome is reached, exactly as given (`null`
   * included) instead of one built from the findings above. Timestamps may be epoch seconds or
   * ISO strings as the AWS CLI prints them; the wire gets epoch seconds. Lists are still paged.
   */
  imageScanFindings?: Record<string, unknown> | null
}

/** A DescribeImageScanFindings answer as ECR or the AWS CLI gave it (see `scanProfileFromResponse`). */
export interface ScanFindingsResponse {
  imageScanStatus: { status: string; description?: string }
  imageScanFindings?: Record<string, unknown> | null
  [member: string]: unknown
}

/** No repositoryName: the registry default. No digest or tag: the repository default. */
export interface ScanProfileTarget extends InRegistry {
  repositoryName?: string
  imageDigest?: string
  imageTag?: string
}

export interface CreateRepositoryOptions extends InRegistry {
  /** Images pushed afterwards are scanned at push time, which uses up their daily scan. */
  scanOnPush?: boolean
  scanProfile?: ScanProfile
}

export interface PutImageOptions extends InRegistry {
  repositoryName: string
  tag?: string
  /** The manifest text; generated (unique per call) when omitted. */
  manifest?: string
  /** Defaults to the manifest's `mediaType`, else Docker schema 2. */
  mediaType?: string
  pushedAt?: number
  /** A basic scan started at this time (counts against the daily quota). */
  scannedAt?: number
  archived?: boolean
  scanProfile?: ScanProfile
  /** A real DescribeImageScanFindings answer for the image's scan to replay, instead of scanProfile. */
  scanResponse?: ScanFindingsResponse
}

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

export type ImageIndexMediaType =
  | 'application/vnd.oci.image.index.v1+json'
  | 'application/vnd.docker.distribution.manifest.list.v2+json'

export interface PutImageIndexOptions extends InRegistry {
  repositoryName: string
  tag?: string
  platforms: Platform[]
  /** Adds one BuildKit-style attestation manifest (platform unknown/unknown) per platform. */
  attestation?: boolean
  mediaType?: ImageIndexMediaType
  pushedAt?: number
}

export interface PutImageIndexResult {
  imageDigest: string
  /** One per platform, in the order given. */
  childDigests: string[]
  attestationDigests: string[]
}

export type FaultKind =
  /** HTTP 400 ThrottlingException. */
  | 'throttling'
  /** Plain HTTP 429 with a text body, as a proxy or load balancer answers. */
  | 'too-many-requests'
  /** HTTP 500 ServerException. */
  | 'server-error'
  /** HTTP 503 with a text body. */
  | 'service-unavailable'
  /** The socket is destroyed without an answer. */
  | 'connection-reset'
  /** Waits `delayMs`, then answers normally (or with another fault that also matches). */
  | 'delay'
  /** HTTP 200 whose body is not valid JSON. */
  | 'malformed-body'
  /** HTTP 400 AccessDeniedException, as IAM answers a role that lacks the operation's action. */
  | 'access-denied'

/**
 * Matching requests are counted from 1 after the fault is injected. Without `times` or
 * `requests` the fault applies to every matching request until the faults are cleared.
 */
export interface FaultRule {
  kind: FaultKind
  /** An ECR operation name such as `DescribeImageScanFindings`; all operations when omitted. */
  operation?: string
  /** The next N matching requests. */
  times?: number
  /** Matching requests number `from`..`to` (inclusive). */
  requests?: { from: number; to: number }
  delayMs?: number
}

export interface RequestLogEntry {
  /** 1-based position among all ECR API requests since start or the last reset. */
  seq: number
  operation: string
  /** Emulator clock time (epoch ms) when the request arrived. */
  atMs: number
  body: unknown
  /** 0 when the connection was reset. */
  status: number
  errorName?: string
  fault?: FaultKind | 'rate-limit'
  /** The client closed the connection before the answer was sent: it gave up waiting. */
  abandoned?: true
}

/**
 * An ECR API request that has arrived, its faults decided, and may not be answered yet: with a
 * delay fault a test can act while the client waits (see Emulator.onRequest and nextRequest).
 */
export interface InFlightRequest {
  seq: number
  operation: string
  body: unknown
  /** Whether it has been answered (or its connection reset, or closed by the client). */
  readonly answered: boolean
  /** Its log entry, once it has been answered. */
  readonly done: Promise<RequestLogEntry>
  /** Ends its delay now, if it has one; it is then answered as it would have been. */
  release(): void
}

export interface SeedImage extends PutImageOptions {
  /** Like `scannedAt`, relative to the emulator clock when the seed is applied. */
  scannedMsAgo?: number
}

export interface SeedRepository extends CreateRepositoryOptions {
  repositoryName: string
}

export interface SeedRegistry {
  registryId: string
  scanType?: ScanType
  rules?: ScanningRule[]
}

/** What `--seed file.json` and `POST /_emulator/seed` accept. */
export interface SeedDocument {
  registryScanType?: ScanType
  /** The caller's registry scanning rules. */
  scanningRules?: ScanningRule[]
  /** Other accounts' registries (or the caller's), applied before the repositories. */
  registries?: SeedRegistry[]
  defaultScanProfile?: ScanProfile
  repositories?: SeedRepository[]
  images?: SeedImage[]
  imageIndexes?: PutImageIndexOptions[]
  faults?: FaultRule[]
  rateLimit?: number
}

export interface SeedResult {
  images: (InRegistry & { repositoryName: string; tag?: string; imageDigest: string })[]
  imageIndexes: (PutImageIndexResult & InRegistry & { repositoryName: string; tag?: string })[]
}

export interface EmulatorOptions {
  host?: string
  port?: number
  clock?: Clock
  region?: string
  accountId?: string
}
