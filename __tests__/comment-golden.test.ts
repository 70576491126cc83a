// The pull-request comment, whole, for the scans a reviewer meets, built from real ECR answers
// (__fixtures__/realdata/, sources in its SOURCES.md) and compared byte for byte with the
// Markdown in __fixtures__/comment/. Every blank line matters there: GitHub ends an alert
// (`> [!CAUTION]`), a table or a <details> block only at one. After a deliberate change, rewrite
// the files with `UPDATE_GOLDEN=1 npm test -- comment-golden`, then read each one as GitHub shows it.
import { describe, expect, it } from '@jest/globals'
import { goldenFiles, judged, notFoundReport, readAnswer } from '../__fixtures__/golden.js'
import { BASELINE_DIGEST, comparedResult, completedResult } from '../__fixtures__/results.js'
import { applyIgnoreRules } from '../src/facts/ignore.js'
import type { ImageReport } from '../src/kernel/model.js'
import { commentGroups, commentKey, renderComment } from '../src/report/comment.js'

const expectGolden = goldenFiles('comment')

const RUN = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_ATTEMPT: '1',
}

/** The comment of a step's reports, as the action posts it: one per image, keyed by its marker. */
function commentOf(reports: ImageReport[], env: Record<string, string> = RUN): string {
  const groups = [...commentGroups(reports).values()]
  expect(groups).toHaveLength(1)
  const group = groups[0]!
  return renderComment(commentKey(group), group, env)
}

const compareTo = { kind: 'same-repository' as const, imageTag: 'production' }

describe('the pull-request comment, whole', () => {
  it('of a basic scan with findings, none ignored, whose baseline has no scan', () => {
    const result = completedResult([], {
      ...readAnswer('findings/basic-clair-ubuntu-complete-aws-example.json'),
      baseline: {
        label: 'team/api:production',
        imageDigest: BASELINE_DIGEST,
        outcome: 'not-scanned',
        reason: 'ECR has no scan of it',
      },
    })
    expectGolden(commentOf([judged(result, { compareTo })]), 'basic-not-compared.md')
  })

  it('of an image compared with its baseline: new, fixed and unchanged findings', () => {
    const read = readAnswer('findings/basic-clair-alpine-complete-workshop.json').findings!.list
    const [kept, gone, ...fresh] = read
    const result = comparedResult([kept!, ...fresh], [kept!, gone!])
    expectGolden(
      commentOf([judged(result, { compareTo, failOnSeverity: 'CRITICAL', onlyNew: true })]),
      'compared.md',
    )
  })

  it('of an image with no new findings since its baseline, and one ignored', () => {
    const answer = readAnswer('findings/basic-clair-alpine-complete-workshop.json')
    const read = answer.findings!.list
    const result = applyIgnoreRules(
      completedResult([], {
        ...answer,
        baseline: {
          label: 'team/api:production',
          imageDigest: BASELINE_DIGEST,
          outcome: 'compared',
          findings: read,
        },
      }),
      [{ id: read[3]!.id, reason: 'not reachable', source: "input 'ignore'" }],
    )
    expectGolden(
      commentOf([judged(result, { compareTo, failOnSeverity: 'HIGH', onlyNew: true })]),
      'compared-nothing-new.md',
    )
  })

  it('of an image the step could not resolve', () => {
    expectGolden(commentOf([notFoundReport()]), 'not-resolved.md')
  })

  it('of the platforms of an index: an enhanced scan of each, one over the threshold', () => {
    const indexDigest = `sha256:${'a'.repeat(64)}`
    const platform = (name: string, digest: string, path: string) =>
      completedResult([], {
        ...readAnswer(path),
        scanType: 'ENHANCED',
        scanStarted: false,
        platform: name,
        indexDigest,
        image: {
          registryId: '123456789012',
          repositoryName: 'team/api',
          imageDigest: digest,
          imageTag: 'v1',
        },
      })
    const amd64 = platform(
      'linux/amd64',
      `sha256:${'1'.repeat(64)}`,
      'findings/enhanced-active-debian-aws-apiref-example.json',
    )
    const arm64 = platform(
      'linux/arm64',
      `sha256:${'2'.repeat(64)}`,
      'findings/enhanced-complete-debian-untriaged-moto.json',
    )
    const settings = { failOnSeverity: 'HIGH' as const }
    expectGolden(commentOf([judged(amd64, settings), judged(arm64, settings)]), 'platforms.md')
  })
})
