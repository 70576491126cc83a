// What a scan looks like at a given moment: the status moves on the emulator clock, and enhanced
// scans keep collecting findings after they first report them.
import type { ImageKind } from './model.ts'
import type {
  BasicFinding,
  EnhancedFinding,
  ScanFrequency,
  ScanOutcome,
  ScanProfile,
  ScanType,
} from './types.ts'

export const UNSUPPORTED_IMAGE_ERROR =
  'UnsupportedImageError: The operating system and/or package manager are not supported.'

// COMPLETE, FAILED, ACTIVE and PENDING are ECR's texts; the others are the emulator's own wording.
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  COMPLETE: 'The scan was completed successfully.',
  FAILED: UNSUPPORTED_IMAGE_ERROR,
  ACTIVE: 'Continuous scan is selected for image.',
  PENDING: 'Pending start of the image scan.',
  UNSUPPORTED_IMAGE: UNSUPPORTED_IMAGE_ERROR,
  SCAN_ELIGIBILITY_EXPIRED: 'The image is no longer eligible for continuous scanning.',
  FINDINGS_UNAVAILABLE: 'Findings are unavailable for the image.',
  LIMIT_EXCEEDED: 'The scan quota per image has been exceeded.',
  IMAGE_ARCHIVED: 'The image is archived.',
}

/** Statuses whose answer carries `imageScanFindings` (expired continuous scans keep stale ones). */
const WITH_FINDINGS: ReadonlySet<string> = new Set([
  'COMPLETE',
  'ACTIVE',
  'SCAN_ELIGIBILITY_EXPIRED',
])

export interface ScanState {
  /** One of ECR's statuses, or whatever string a profile gives as its outcome. */
  status: string
  description?: string
  /** Epoch ms; set once the scan has an outcome. */
  completedAt?: number
  /** Present when the status carries findings: those that have arrived by now. */
  findings?: BasicFinding[]
  enhancedFindings?: EnhancedFinding[]
  /** The profile's own `imageScanFindings`, answered as they are. */
  given?: Record<string, unknown> | null
}

export const ARCHIVED_SCAN: ScanState = {
  status: 'IMAGE_ARCHIVED',
  description: DESCRIPTIONS.IMAGE_ARCHIVED,
}

export interface ScanMoment {
  profile: ScanProfile | undefined
  scanType: ScanType
  /** How the registry's rules scan the image's repository. */
  frequency: ScanFrequency
  kind: ImageKind
  startedAt: number
  now: number
}

// Neither scanner reads an index or an attestation; basic scanning fails on the in-toto layer.
// Inspector reports a scan on push as COMPLETE and keeps a continuous scan ACTIVE.
function defaultOutcome(
  scanType: ScanType,
  frequency: ScanFrequency,
  kind: ImageKind,
): ScanOutcome {
  if (kind !== 'image') {
    return scanType === 'BASIC' && kind === 'attestation' ? 'FAILED' : 'UNSUPPORTED_IMAGE'
  }
  return scanType === 'ENHANCED' && frequency !== 'SCAN_ON_PUSH' ? 'ACTIVE' : 'COMPLETE'
}

export function scanStateAt({
  profile = {},
  scanType,
  frequency,
  kind,
  startedAt,
  now,
}: ScanMoment): ScanState {
  const completedAt = startedAt + (profile.durationMs ?? 0)
  if (now < completedAt) return { status: scanType === 'ENHANCED' ? 'PENDING' : 'IN_PROGRESS' }
  const status = profile.outcome ?? defaultOutcome(scanType, frequency, kind)
  const description =
    profile.description === null ? undefined : (profile.description ?? DESCRIPTIONS[status])
  const state: ScanState = { status, description, completedAt }
  if (profile.imageScanFindings !== undefined) return { ...state, given: profile.imageScanFindings }
  if (!WITH_FINDINGS.has(status)) return state
  const arrived = (profile.lateFindings ?? []).filter((late) => completedAt + late.afterMs <= now)
  state.findings = [...(profile.findings ?? []), ...arrived.flatMap((late) => late.findings ?? [])]
  state.enhancedFindings = [
    ...(profile.enhancedFindings ?? []),
    ...arrived.flatMap((late) => late.enhancedFindings ?? []),
  ]
  return state
}

/** Counts over every finding, not one page; ECR leaves out severities with no findings. */
export function severityCounts(findings: { severity: string }[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1
  return counts
}
