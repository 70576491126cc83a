import { describe, expect, it } from '@jest/globals'
import { consoleUrl, isRepositoryName, parseImageUri, partitionOf } from '../src/image-ref.js'

const DIGEST = `sha256:${'0'.repeat(64)}`

describe('parseImageUri', () => {
  it.each([
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1',
      { region: 'us-east-1', repositoryName: 'api', imageTag: 'v1' },
    ],
    [
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api@${DIGEST}`,
      { repositoryName: 'team/api', imageDigest: DIGEST },
    ],
    [
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/a/b/c:1.0@${DIGEST}`,
      { repositoryName: 'a/b/c', imageTag: '1.0', imageDigest: DIGEST },
    ],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/api:v1', { region: 'us-gov-west-1' }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:v1', { region: 'cn-north-1' }],
    ['123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu/api:v1', { region: 'eusc-de-east-1' }],
  ])('parses %s', (uri, expected) => {
    expect(parseImageUri(uri)).toMatchObject({ registryId: '123456789012', ...expected })
  })

  it.each([
    ['api:v1', 'no repository part'],
    ['12345.dkr.ecr.us-east-1.amazonaws.com/api:v1', 'not an ECR registry host'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.com/api:v1', 'not an ECR registry host'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/API:v1', 'not a valid repository name'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/api:', 'not a valid image tag'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/api', 'neither a tag'],
  ])('rejects %s', (uri, reason) => {
    const parsed = parseImageUri(uri)
    expect('error' in parsed && parsed.error).toContain(reason)
  })
})

describe('repository names', () => {
  it.each(['ab', 'team/api', 'a.b_c-d', 'a__b', 'a---b', 'x/y/z1'])('accepts %s', (name) => {
    expect(isRepositoryName(name)).toBe(true)
  })
  it.each(['a', 'A1', '-ab', 'ab-', 'a//b', '/ab', 'a b', 'a'.repeat(257)])(
    'rejects %s',
    (name) => {
      expect(isRepositoryName(name)).toBe(false)
    },
  )
})

describe('consoleUrl', () => {
  const image = { registryId: '123456789012', repositoryName: 'team/api', imageDigest: DIGEST }
  it.each([
    [
      'us-east-1',
      'aws',
      'https://us-east-1.console.aws.amazon.com/ecr/repositories/private/123456789012/team/api/_/image/',
    ],
    ['cn-north-1', 'aws-cn', 'https://console.amazonaws.cn/ecr/'],
    ['us-gov-west-1', 'aws-us-gov', 'https://console.amazonaws-us-gov.com/ecr/'],
    ['eusc-de-east-1', 'aws-eusc', 'https://eusc-de-east-1.console.amazonaws.eu/ecr/'],
  ])('links %s into its partition (%s)', (region, partition, prefix) => {
    expect(partitionOf(region)).toBe(partition)
    const url = consoleUrl({ ...image, region })
    expect(url.startsWith(prefix)).toBe(true)
    expect(url).toContain(`${DIGEST}/scan-results?region=${region}`)
  })
})
