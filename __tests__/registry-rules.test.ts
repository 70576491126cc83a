// How the registry's scanning rules apply to one repository, in the cases ECR's user guide
// describes: a rule covers a repository when any of its filters matches, and only enhanced
// scanning leaves an uncovered repository unscanned.
import { describe, expect, it } from '@jest/globals'
import { registryScanningOf } from '../src/ecr/registry.js'

const REGISTRY = '123456789012'

describe('registryScanningOf', () => {
  it('lets any one filter of a rule cover the repository', () => {
    const answer = {
      registryId: REGISTRY,
      scanType: 'ENHANCED' as const,
      rules: [{ scanFrequency: 'CONTINUOUS_SCAN' as const, filters: ['prod*', 'team/*'] }],
    }
    expect(registryScanningOf(answer, REGISTRY, 'team/api')).toEqual({
      scanType: 'ENHANCED',
      scanFrequency: 'CONTINUOUS_SCAN',
    })
  })

  it('scans an uncovered repository of a basic registry manually, which is no warning', () => {
    const answer = {
      registryId: REGISTRY,
      scanType: 'BASIC' as const,
      rules: [{ scanFrequency: 'SCAN_ON_PUSH' as const, filters: ['prod*'] }],
    }
    expect(registryScanningOf(answer, REGISTRY, 'dev/api')).toEqual({
      scanType: 'BASIC',
      scanFrequency: 'MANUAL',
    })
  })

  it('says an uncovered repository of an enhanced registry is not covered, with the filters', () => {
    const answer = {
      registryId: REGISTRY,
      scanType: 'ENHANCED' as const,
      rules: [{ scanFrequency: 'SCAN_ON_PUSH' as const, filters: ['prod*'] }],
    }
    expect(registryScanningOf(answer, REGISTRY, 'dev/api')).toEqual({
      scanType: 'ENHANCED',
      scanFrequency: 'MANUAL',
      notCovered: { filters: ['prod*'] },
    })
  })
})
