// Basic and enhanced (Inspector) findings become one Finding shape (shapes and real answers in
// __fixtures__/realdata).
import { describe, expect, it } from '@jest/globals'
import type { EnhancedImageScanFinding, ImageScanFinding } from '@aws-sdk/client-ecr'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromBasicFinding, fromEnhancedFinding } from '../src/ecr/findings.js'
import { isFixable, type Finding } from '../src/kernel/model.js'
import { findingLine } from '../src/report/present.js'
import { cleanValue, PLACEHOLDERS } from '../src/kernel/text.js'

describe('the finding normaliser', () => {
  it('reads a basic finding: name, severity, uri and package attributes, no fix information', () => {
    const normalised = fromBasicFinding({
      name: 'CVE-2023-1234',
      description: 'A flaw.',
      uri: 'https://security-tracker.debian.org/tracker/CVE-2023-1234',
      severity: 'HIGH',
      attributes: [
        { key: 'package_name', value: 'zlib' },
        { key: 'package_version', value: '1:1.2.13' },
        { key: 'CVSS2_SCORE', value: '5.0' },
        { key: 'CVSS3_SCORE', value: '7.5' },
      ],
    })
    expect(normalised).toEqual({
      id: 'CVE-2023-1234',
      severity: 'HIGH',
      ecrSeverity: 'HIGH',
      uri: 'https://security-tracker.debian.org/tracker/CVE-2023-1234',
      description: 'A flaw.',
      packageName: 'zlib',
      packageVersion: '1:1.2.13',
      score: 7.5,
    })
    expect(isFixable(normalised)).toBe(false)
  })

  it('reads an enhanced finding: vulnerability ID, packages, fixed versions and fixAvailable', () => {
    const normalised = fromEnhancedFinding({
      findingArn: 'arn:aws:inspector2:us-east-1:123456789012:finding/abc',
      severity: 'UNTRIAGED',
      title: 'CVE-2024-0001 - openssl, libssl3',
      description: 'A flaw in openssl.',
      score: 9.8,
      fixAvailable: 'PARTIAL',
      exploitAvailable: 'NO',
      packageVulnerabilityDetails: {
        vulnerabilityId: 'CVE-2024-0001',
        sourceUrl: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001',
        vulnerablePackages: [
          { name: 'openssl', version: '3.0.1', fixedInVersion: '3.0.2' },
          { name: 'libssl3', version: '3.0.1' },
        ],
      },
    })
    expect(normalised).toEqual({
      id: 'CVE-2024-0001',
      severity: 'UNDEFINED',
      ecrSeverity: 'UNTRIAGED',
      uri: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001',
      title: 'CVE-2024-0001 - openssl, libssl3',
      description: 'A flaw in openssl.',
      packageName: 'openssl, libssl3',
      packageVersion: '3.0.1',
      fixedInVersion: '3.0.2',
      score: 9.8,
      fixAvailable: 'PARTIAL',
      exploitAvailable: 'NO',
    })
    expect(isFixable(normalised)).toBe(true)
    expect(isFixable({ ...normalised, fixAvailable: 'NO' })).toBe(false)
  })

  it('names a finding without an ID by what it has', () => {
    expect(fromBasicFinding({}).id).toBe('unnamed')
    expect(fromEnhancedFinding({ findingArn: 'arn:x' }).id).toBe('arn:x')
  })
})

// Every real answer in __fixtures__/realdata/findings, through the mappers (sources in SOURCES.md).
const REALDATA = '__fixtures__/realdata'

interface FindingsAnswer {
  imageScanFindings?: {
    findings?: ImageScanFinding[]
    enhancedFindings?: EnhancedImageScanFinding[]
  } | null
}

function normalised(file: string): Finding[] {
  const answer = JSON.parse(
    readFileSync(join(REALDATA, 'findings', file), 'utf8'),
  ) as FindingsAnswer
  return [
    ...(answer.imageScanFindings?.findings ?? []).map(fromBasicFinding),
    ...(answer.imageScanFindings?.enhancedFindings ?? []).map(fromEnhancedFinding),
  ]
}

/** The Amazon Inspector finding of the EventBridge sample: the same shape as ECR's enhanced one. */
function inspectorEventFinding(): EnhancedImageScanFinding {
  const event = JSON.parse(
    readFileSync(
      join(REALDATA, 'other', 'inspector2-eventbridge-finding-ecr-ubuntu-arm64-aws-doc.json'),
      'utf8',
    ),
  ) as { detail: EnhancedImageScanFinding }
  return event.detail
}

const mitre = (id: string) => `https://cve.mitre.org/cgi-bin/cvename.cgi?name=${id}`
const debian = (id: string) => `https://security-tracker.debian.org/tracker/${id}`
const basic = (
  id: string,
  severity: string,
  packageName: string,
  packageVersion: string,
  score: number,
  uri: string,
  description?: string,
): Finding => ({
  id,
  severity: severity as Finding['severity'],
  ecrSeverity: severity,
  uri,
  packageName,
  packageVersion,
  score,
  ...(description
    ? { description: expect.stringContaining(description) as unknown as string }
    : {}),
})

/** What each sample must give; a sample added to the folder without an entry fails the test. */
const EXPECTED: Record<string, Finding[]> = {
  'basic-clair-alpine-complete-workshop.json': [
    basic('CVE-2021-30139', 'MEDIUM', 'apk-tools', '2.10.5-r1', 5, mitre('CVE-2021-30139')),
    basic('CVE-2021-36159', 'MEDIUM', 'apk-tools', '2.10.5-r1', 6.4, mitre('CVE-2021-36159')),
    basic('CVE-2021-28831', 'MEDIUM', 'busybox', '1.31.1-r16', 5, mitre('CVE-2021-28831')),
    basic('CVE-2020-28928', 'LOW', 'musl', '1.1.24-r9', 2.1, mitre('CVE-2020-28928')),
  ],
  'basic-clair-ubuntu-complete-aws-example.json': [
    basic(
      'CVE-2019-5188',
      'MEDIUM',
      'e2fsprogs',
      '1.44.1-1ubuntu1.1',
      4.6,
      'http://people.ubuntu.com/~ubuntu-security/cve/CVE-2019-5188',
      'A code execution vulnerability exists in the directory rehashing functionality',
    ),
  ],
  // Each uri ends in a space in the sample; CVSS3 wins over CVSS2 where both are given.
  'basic-cvss3-debian-page1-nextToken-dynatrace.json': [
    basic(
      'CVE-2023-45871',
      'CRITICAL',
      'linux',
      '4.19.269-1',
      9.8,
      debian('CVE-2023-45871'),
      'IGB driver',
    ),
    basic(
      'CVE-2023-38408',
      'CRITICAL',
      'openssh',
      '1:7.9p1-10+deb10u2',
      9.8,
      debian('CVE-2023-38408'),
      'ssh-agent',
    ),
    basic(
      'CVE-2022-48565',
      'CRITICAL',
      'python2.7',
      '2.7.16-2+deb10u1',
      9.8,
      debian('CVE-2022-48565'),
      'plistlib',
    ),
    basic(
      'CVE-2021-3177',
      'CRITICAL',
      'python2.7',
      '2.7.16-2+deb10u1',
      9.8,
      debian('CVE-2021-3177'),
      'PyCArg_repr',
    ),
  ],
  'basic-failed-unsupported-scratch-workshop.json': [],
  'basic-or-enhanced-pending-empty-lists.json': [],
  'enhanced-active-debian-aws-apiref-example.json': [
    {
      id: 'CVE-2022-49043',
      severity: 'HIGH',
      ecrSeverity: 'HIGH',
      uri: debian('CVE-2022-49043'),
      title: 'CVE-2022-49043 - libxml2',
      description:
        'xmlXIncludeAddNode in xinclude.c in libxml2 before 2.11.0 has a use-after-free.',
      packageName: 'libxml2',
      packageVersion: '2.9.14+dfsg',
      // fixedInVersion "NotAvailable": no fixed version.
      score: 8.1,
      fixAvailable: 'NO',
      exploitAvailable: 'NO',
    },
  ],
  'enhanced-complete-debian-untriaged-moto.json': [
    {
      id: 'CVE-2024-9681',
      severity: 'MEDIUM',
      ecrSeverity: 'MEDIUM',
      uri: debian('CVE-2024-9681'),
      title: 'CVE-2024-9681 - curl',
      description: expect.stringMatching(
        /^When curl is asked to use HSTS.*If `example\.com` for example stops supporti$/,
      ) as unknown as string,
      packageName: 'curl',
      packageVersion: '7.88.1',
      score: 6.5,
      fixAvailable: 'NO',
      exploitAvailable: 'NO',
    },
    {
      // UNTRIAGED with score 0.0 and description "None Provided".
      id: 'CVE-2025-24528',
      severity: 'UNDEFINED',
      ecrSeverity: 'UNTRIAGED',
      uri: debian('CVE-2025-24528'),
      title: 'CVE-2025-24528 - krb5',
      packageName: 'krb5',
      packageVersion: '1.20.1',
      fixAvailable: 'NO',
      exploitAvailable: 'NO',
    },
  ],
  'enhanced-continuous-active-old-cli-no-enhancedFindings-member.json': [],
  'enhanced-scan-on-push-complete-before-findings-arrive.json': [],
  'start-image-scan-response-aws-cli-example.json': [],
}

/** Every string in a finding, however deep. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

describe('the finding normaliser on real ECR answers', () => {
  it('covers every sample in the findings folder', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(readdirSync(join(REALDATA, 'findings')).sort())
  })

  it.each(Object.keys(EXPECTED))('reads %s', (file) => {
    expect(normalised(file)).toEqual(EXPECTED[file])
  })

  it("reads Inspector's EventBridge finding: two packages, one fixed version, no score", () => {
    expect(fromEnhancedFinding(inspectorEventFinding())).toEqual({
      id: 'CVE-2024-6119',
      severity: 'MEDIUM',
      ecrSeverity: 'MEDIUM',
      uri: 'https://people.canonical.com/~ubuntu-security/cve/2024/CVE-2024-6119.html',
      title: 'CVE-2024-6119 - libssl3t64, openssl',
      description: 'Possible denial of service in X.509 name checks',
      packageName: 'libssl3t64, openssl',
      packageVersion: '3.0.13',
      fixedInVersion: '0:3.0.13-0ubuntu3.4',
      fixAvailable: 'YES',
      exploitAvailable: 'NO',
      relatedVulnerabilities: ['USN-6986-1'],
    })
  })

  it("keeps Inspector's related vulnerabilities, upper case and each once, for the exploit sources", () => {
    const event = inspectorEventFinding()
    event.packageVulnerabilityDetails!.relatedVulnerabilities = [
      ' cve-2024-1 ',
      'CVE-2024-1',
      'NotAvailable',
    ]
    expect(fromEnhancedFinding(event).relatedVulnerabilities).toEqual(['CVE-2024-1'])
    event.packageVulnerabilityDetails!.relatedVulnerabilities = []
    expect(fromEnhancedFinding(event).relatedVulnerabilities).toBeUndefined()
  })

  it('shows only the real fixed versions when some packages have none', () => {
    const event = inspectorEventFinding()
    const [libssl, openssl] = event.packageVulnerabilityDetails!.vulnerablePackages!
    const partial = fromEnhancedFinding({
      ...event,
      fixAvailable: 'PARTIAL',
      packageVulnerabilityDetails: {
        ...event.packageVulnerabilityDetails,
        vulnerablePackages: [
          { ...libssl, fixedInVersion: 'NotAvailable' },
          { ...openssl, fixedInVersion: '0:3.0.13-0ubuntu3.4' },
        ],
      },
    })
    expect(partial.fixedInVersion).toBe('0:3.0.13-0ubuntu3.4')
    const none = fromEnhancedFinding({
      ...event,
      packageVulnerabilityDetails: {
        ...event.packageVulnerabilityDetails,
        vulnerablePackages: [
          { ...libssl, fixedInVersion: 'NotAvailable' },
          { ...openssl, fixedInVersion: ' notavailable ' },
        ],
      },
    })
    expect(none.fixedInVersion).toBeUndefined()
    expect(findingLine(none)).toBe(
      'CVE-2024-6119 (MEDIUM) in libssl3t64, openssl 3.0.13, fixed version not known',
    )
  })

  it('leaves no placeholder and no surrounding space in any value of any sample', () => {
    const all = [
      ...Object.keys(EXPECTED).flatMap(normalised),
      fromEnhancedFinding(inspectorEventFinding()),
    ]
    expect(all).toHaveLength(13)
    for (const value of all.flatMap(strings)) {
      expect(value).toBe(value.trim())
      expect(PLACEHOLDERS.map((word) => word.toLowerCase())).not.toContain(value.toLowerCase())
    }
  })

  it('lists every placeholder the samples hold', () => {
    // Values that stand for "none" in the samples: a test fails when a new sample brings another.
    const seen = new Set<string>()
    const files = [
      ...readdirSync(join(REALDATA, 'findings')).map((file) => join(REALDATA, 'findings', file)),
      join(REALDATA, 'other', 'inspector2-eventbridge-finding-ecr-ubuntu-arm64-aws-doc.json'),
    ]
    for (const file of files) {
      for (const value of strings(JSON.parse(readFileSync(file, 'utf8')))) {
        if (
          /^(not ?available|none provided|not yet assigned|n\/?a|none|unknown)$/i.test(value.trim())
        )
          seen.add(value)
      }
    }
    expect([...seen].sort()).toEqual([...PLACEHOLDERS].sort())
  })
})

describe('cleanValue', () => {
  it('trims, and gives undefined for empty text and placeholders', () => {
    expect(cleanValue('https://example.com/CVE-1 ')).toBe('https://example.com/CVE-1')
    expect(cleanValue('  ')).toBeUndefined()
    expect(cleanValue(undefined)).toBeUndefined()
    expect(cleanValue(null)).toBeUndefined()
    for (const word of PLACEHOLDERS) expect(cleanValue(` ${word.toUpperCase()} `)).toBeUndefined()
    expect(cleanValue('Not Available in 1.2')).toBe('Not Available in 1.2')
  })
})
