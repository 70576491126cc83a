import {
  DescribeImageScanFindingsCommand,
  type ECRClient,
  type EnhancedImageScanFinding,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr'
import { toSeverity, type Finding, type ResolvedImage } from '../kernel/model.js'
import { errorName } from './errors.js'
import { cleanValue } from '../kernel/text.js'

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

/**
 * One basic finding (ECR's `ImageScanFinding`) in our shape. Package and score come from the
 * `attributes` list (`package_name`, `package_version`, `CVSS3_SCORE`, else `CVSS2_SCORE`: the keys
 * seen in real answers); basic findings carry no fixed version. Every text goes through
 * cleanValue (trimmed, placeholders dropped); a score of 0 or one that is not a number is none.
 */
export function fromBasicFinding(finding: ImageScanFinding): Finding {
  const attribute = (key: string): string | undefined =>
    cleanValue(finding.attributes?.find((candidate) => candidate.key === key)?.value)
  const score = Number(attribute('CVSS3_SCORE') ?? attribute('CVSS2_SCORE'))
  return {
    id: cleanValue(finding.name) ?? 'unnamed',
    severity: toSeverity(cleanValue(finding.severity)),
    ecrSeverity: cleanValue(finding.severity) ?? 'UNDEFINED',
    uri: cleanValue(finding.uri),
    description: cleanValue(finding.description),
    packageName: attribute('package_name'),
    packageVersion: attribute('package_version'),
    score: Number.isFinite(score) && score > 0 ? score : undefined,
  }
}

/**
 * One enhanced finding (Amazon Inspector's, as ECR's `EnhancedImageScanFinding`) in our shape.
 * The ID is `packageVulnerabilityDetails.vulnerabilityId` (else the title, else the finding ARN);
 * several vulnerable packages give one comma-separated name, version and fixed version, each
 * value once and only the real ones (a package whose fixedInVersion is `NotAvailable` adds none).
 * Inspector's UNTRIAGED becomes UNDEFINED, with `ecrSeverity` keeping the word; a score of 0
 * (UNTRIAGED findings have one) is none.
 */
export function fromEnhancedFinding(finding: EnhancedImageScanFinding): Finding {
  const details = finding.packageVulnerabilityDetails
  const packages = details?.vulnerablePackages ?? []
  const joined = (values: (string | undefined)[]): string | undefined => {
    const present = [...new Set(values.map(cleanValue).filter((value) => value !== undefined))]
    return present.length ? present.join(', ') : undefined
  }
  return {
    id:
      cleanValue(details?.vulnerabilityId) ??
      cleanValue(finding.title) ??
      cleanValue(finding.findingArn) ??
      'unnamed',
    severity: toSeverity(cleanValue(finding.severity)),
    ecrSeverity: cleanValue(finding.severity) ?? 'UNDEFINED',
    uri: cleanValue(details?.sourceUrl) ?? cleanValue(finding.remediation?.recommendation?.url),
    title: cleanValue(finding.title),
    description: cleanValue(finding.description),
    packageName: joined(packages.map((p) => p.name)),
    packageVersion: joined(packages.map((p) => p.version)),
    fixedInVersion: joined(packages.map((p) => p.fixedInVersion)),
    score: finding.score || undefined,
    fixAvailable: cleanValue(finding.fixAvailable),
    exploitAvailable: cleanValue(finding.exploitAvailable),
    relatedVulnerabilities: relatedIds(details?.relatedVulnerabilities),
  }
}

/** Inspector's related vulnerability IDs, upper case, each once; undefined when there are none. */
function relatedIds(ids: (string | undefined)[] | undefined): string[] | undefined {
  const cleaned = (ids ?? []).map(cleanValue).filter((id) => id !== undefined)
  return cleaned.length ? [...new Set(cleaned.map((id) => id.toUpperCase()))] : undefined
}
