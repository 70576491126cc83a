// The fields of one finding when ECR leaves something out or sends a value that means nothing:
// no severity, no name, a score of 0 or one that is not a number.
import { describe, expect, it } from '@jest/globals'
import { fromBasicFinding, fromEnhancedFinding } from '../src/ecr/findings.js'

describe('fromBasicFinding', () => {
  it('reads a finding without a severity as UNDEFINED, also in ECR’s own word', () => {
    expect(fromBasicFinding({ name: 'CVE-2024-1' })).toMatchObject({
      id: 'CVE-2024-1',
      severity: 'UNDEFINED',
      ecrSeverity: 'UNDEFINED',
    })
  })

  it.each(['0', 'n/a', 'Infinity'])('gives no score for a CVSS score of %s', (value) => {
    const finding = fromBasicFinding({
      name: 'CVE-2024-1',
      severity: 'HIGH',
      attributes: [{ key: 'CVSS3_SCORE', value }],
    })
    expect(finding.score).toBeUndefined()
  })

  it('takes a real CVSS score as a number', () => {
    const finding = fromBasicFinding({
      name: 'CVE-2024-1',
      severity: 'HIGH',
      attributes: [{ key: 'CVSS3_SCORE', value: '7.5' }],
    })
    expect(finding.score).toBe(7.5)
  })
})

describe('fromEnhancedFinding', () => {
  it('names a finding with no ID, title or ARN "unnamed", with an UNDEFINED severity', () => {
    expect(fromEnhancedFinding({})).toMatchObject({
      id: 'unnamed',
      severity: 'UNDEFINED',
      ecrSeverity: 'UNDEFINED',
    })
  })
})
