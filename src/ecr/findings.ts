import {
  DescribeImageScanFindingsCommand,
  type ECRClient,
  type EnhancedImageScanFinding,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr'
import { toSeverity, type Finding, type ResolvedImage } from '../model.js'
import { errorName } from './errors.js'

/** One answer of DescribeImageScanFindings, in our words. */
export interface FindingsPage {
  scanStatus?: string
  scanStatusDescription?: string
  /** ECR's findingSeverityCounts: they count every finding, not just this page's. */
  severityCounts?: Record<string, number>
  findings: Finding[]
  nextToken?: string
  imageScanCompletedAt?: Date
  vulnerabilitySourceUpdatedAt?: Date
}

/** The most the API gives per page of basic findings; enhanced pages stop at 100 anyway. */
const MAX_RESULTS = 1000

/** A page of the image's scan, or 'scan-not-found' when no scan exists (yet). */
export async function describeFindingsPage(
  client: ECRClient,
  image: ResolvedImage,
  nextToken: string | undefined,
  signal?: AbortSignal,
): Promise<FindingsPage | 'scan-not-found'> {
  try {
    const response = await client.send(
      new DescribeImageScanFindingsCommand({
        registryId: image.registryId || undefined,
        repositoryName: image.repositoryName,
        imageId: { imageDigest: image.imageDigest },
        maxResults: MAX_RESULTS,
        nextToken,
      }),
      { abortSignal: signal },
    )
    const scan = response.imageScanFindings
    return {
      scanStatus: response.imageScanStatus?.status,
      scanStatusDescription: response.imageScanStatus?.description,
      severityCounts: scan?.findingSeverityCounts,
      findings: [
        ...(scan?.findings ?? []).map(fromBasicFinding),
        ...(scan?.enhancedFindings ?? []).map(fromEnhancedFinding),
      ],
      nextToken: response.nextToken || undefined,
      imageScanCompletedAt: scan?.imageScanCompletedAt,
      vulnerabilitySourceUpdatedAt: scan?.vulnerabilitySourceUpdatedAt,
    }
  } catch (error) {
    if (errorName(error) === 'ScanNotFoundException') return 'scan-not-found'
    throw error
  }
}

export function fromBasicFinding(finding: ImageScanFinding): Finding {
  const attribute = (key: string): string | undefined =>
    finding.attributes?.find((candidate) => candidate.key === key)?.value || undefined
  const score = Number(attribute('CVSS3_SCORE') ?? attribute('CVSS2_SCORE'))
  return {
    id: finding.name || 'unnamed',
    severity: toSeverity(finding.severity),
    ecrSeverity: finding.severity ?? 'UNDEFINED',
    uri: finding.uri || undefined,
    description: finding.description || undefined,
    packageName: attribute('package_name'),
    packageVersion: attribute('package_version'),
    score: Number.isFinite(score) && score > 0 ? score : undefined,
  }
}

export function fromEnhancedFinding(finding: EnhancedImageScanFinding): Finding {
  const details = finding.packageVulnerabilityDetails
  const packages = details?.vulnerablePackages ?? []
  const joined = (values: (string | undefined)[]): string | undefined => {
    const present = [...new Set(values.filter((value): value is string => !!value))]
    return present.length ? present.join(', ') : undefined
  }
  return {
    id: details?.vulnerabilityId || finding.title || finding.findingArn || 'unnamed',
    severity: toSeverity(finding.severity),
    ecrSeverity: finding.severity ?? 'UNDEFINED',
    uri: details?.sourceUrl || finding.remediation?.recommendation?.url || undefined,
    title: finding.title || undefined,
    description: finding.description || undefined,
    packageName: joined(packages.map((p) => p.name)),
    packageVersion: joined(packages.map((p) => p.version)),
    fixedInVersion: joined(packages.map((p) => p.fixedInVersion)),
    score: finding.score || undefined,
    fixAvailable: finding.fixAvailable || undefined,
  }
}
