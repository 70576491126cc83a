// Basic and enhanced (Inspector) findings become one Finding shape (shapes from ecr-notes.md).
import { describe, expect, it } from '@jest/globals'
import { fromBasicFinding, fromEnhancedFinding } from '../src/ecr/findings.js'
import { isFixable } from '../src/model.js'

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
    })
    expect(isFixable(normalised)).toBe(true)
    expect(isFixable({ ...normalised, fixAvailable: 'NO' })).toBe(false)
  })

  it('names a finding without an ID by what it has', () => {
    expect(fromBasicFinding({}).id).toBe('unnamed')
    expect(fromEnhancedFinding({ findingArn: 'arn:x' }).id).toBe('arn:x')
  })
})
