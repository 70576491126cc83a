// The annotations' wording at the edges: one finding more than fit, and an image named by
// digest (a platform of a multi-arch image shows its own digest, not the index's).
import { describe, expect, it } from '@jest/globals'
import { completedResult, finding, reportsOf, settingsWith } from '../__fixtures__/results.js'
import { findingAnnotations } from '../src/report/annotations.js'

const PLATFORM_DIGEST = `sha256:${'1'.repeat(64)}`
const INDEX_DIGEST = `sha256:${'2'.repeat(64)}`
import type { ScanResult } from '../src/kernel/model.js'

/** findingAnnotations on reports made as the step makes them, with only-fixable and only-new. */
function annotate(
  results: ScanResult[],
  { onlyFixable, onlyNew, max }: { onlyFixable: boolean; onlyNew: boolean; max: number },
) {
  return findingAnnotations(reportsOf(results, settingsWith({ onlyFixable, onlyNew })), { max })
}

describe('findingAnnotations', () => {
  it('says "1 more finding" in the singular', () => {
    const result = completedResult(
      Array.from({ length: 11 }, (_, i) => finding(`CVE-2024-${i}`, 'HIGH')),
    )
    const specs = annotate([result], { onlyFixable: false, onlyNew: false, max: 10 })
    expect(specs.at(-1)).toEqual({
      level: 'notice',
      title: 'More findings',
      message:
        '1 more finding than annotated here: see the job summary, and the findings-file output for all of them.',
    })
  })

  it('names an image given by digest with the first 12 digits of the digest scanned', () => {
    const result = completedResult([finding('CVE-2024-1', 'HIGH')], {
      target: { repositoryName: 'team/api', imageDigest: INDEX_DIGEST },
      platform: 'linux/arm64',
      image: {
        registryId: '123456789012',
        repositoryName: 'team/api',
        imageDigest: PLATFORM_DIGEST,
      },
    })
    const [spec] = annotate([result], { onlyFixable: false, onlyNew: false, max: 10 })
    expect(spec?.title).toBe('HIGH vulnerability in team/api@sha256:111111111111')
    const unresolved = completedResult([finding('CVE-2024-1', 'HIGH')], {
      target: { repositoryName: 'team/api', imageDigest: INDEX_DIGEST },
      image: undefined,
    })
    const [other] = annotate([unresolved], {
      onlyFixable: false,
      onlyNew: false,
      max: 10,
    })
    expect(other?.title).toBe('HIGH vulnerability in team/api@sha256:222222222222')
  })
})
