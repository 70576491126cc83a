// The edges of ECR's image reference grammar: name lengths, a missing part, and how an image is
// written back in log lines.
import { describe, expect, it } from '@jest/globals'
import { formatImage, isRepositoryName, parseImageUri } from '../src/kernel/image-ref.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com'

describe('isRepositoryName', () => {
  it('accepts names of 2 to 256 characters, as ECR does', () => {
    expect(isRepositoryName('ab')).toBe(true)
    expect(isRepositoryName('a'.repeat(256))).toBe(true)
    expect(isRepositoryName('a'.repeat(257))).toBe(false)
  })
})

describe('parseImageUri', () => {
  it('says the registry host is missing from a reference that starts with /', () => {
    expect(parseImageUri('/team/api:v1')).toEqual({
      error: "'' is not an ECR registry host (ACCOUNT.dkr.ecr.REGION.amazonaws.com)",
    })
  })

  it('says the repository is empty when only a tag follows the host', () => {
    expect(parseImageUri(`${HOST}/:v1`)).toEqual({ error: "'' is not a valid repository name" })
  })
})

describe('formatImage', () => {
  it('writes repo:tag, repo@digest or repo:tag@digest, with nothing for a missing part', () => {
    expect(formatImage({ repositoryName: 'team/api', imageTag: 'v1' })).toBe('team/api:v1')
    expect(formatImage({ repositoryName: 'team/api', imageDigest: DIGEST })).toBe(
      `team/api@${DIGEST}`,
    )
    expect(formatImage({ repositoryName: 'team/api', imageTag: 'v1', imageDigest: DIGEST })).toBe(
      `team/api:v1@${DIGEST}`,
    )
  })
})
