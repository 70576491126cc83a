import { describe, expect, it } from '@jest/globals'
import {
  consoleUrl,
  isRepositoryName,
  parseImageUri,
  partitionOf,
} from '../src/kernel/image-ref.js'

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
    ['123456789012.dkr.ecr.us-gov-east-1.amazonaws.com/api:v1', { region: 'us-gov-east-1' }],
    ['123456789012.dkr.ecr-fips.us-east-2.amazonaws.com/api:v1', { region: 'us-east-2' }],
    ['123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn/api:v1', { region: 'cn-northwest-1' }],
    // ECR's dual-stack (IPv6) registry hosts.
    ['123456789012.dkr-ecr.eu-west-1.on.aws/api:v1', { region: 'eu-west-1' }],
    ['123456789012.dkr-ecr-fips.us-west-2.on.aws/api:v1', { region: 'us-west-2' }],
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
    ['123456789012.dkr-ecr.us-east-1.amazonaws.com/api:v1', 'mixes'],
    ['123456789012.dkr.ecr.us-east-1.on.aws/api:v1', 'mixes'],
  ])('rejects %s', (uri, reason) => {
    const parsed = parseImageUri(uri)
    expect('error' in parsed && parsed.error).toContain(reason)
  })
})

describe('parseImageUri region checks', () => {
  // A registry host names its partition twice, by the region and by the domain; when they
  // disagree no such registry exists, so the input is rejected before any AWS call.
  it.each([
    ['cn-north-1', 'amazonaws.com', 'aws-cn', 'amazonaws.com.cn'],
    ['us-east-1', 'amazonaws.com.cn', 'aws', 'amazonaws.com'],
    ['eusc-de-east-1', 'amazonaws.com', 'aws-eusc', 'amazonaws.eu'],
    ['eu-central-1', 'amazonaws.eu', 'aws', 'amazonaws.com'],
    ['us-gov-west-1', 'amazonaws.com.cn', 'aws-us-gov', 'amazonaws.com'],
    ['cn-north-1', 'on.aws', 'aws-cn', 'amazonaws.com.cn'],
    ['eusc-de-east-1', 'on.aws', 'aws-eusc', 'amazonaws.eu'],
  ])('rejects region %s under %s', (region, domain, partition, expected) => {
    const service = domain === 'on.aws' ? 'dkr-ecr' : 'dkr.ecr'
    const parsed = parseImageUri(`123456789012.${service}.${region}.${domain}/api:v1`)
    expect('error' in parsed && parsed.error).toBe(
      `region '${region}' is in the ${partition} partition, whose registries are not under '${domain}' (expected ${expected})`,
    )
  })

  it.each(['us-east-1x', 'useast1', 'us-east', 'US-EAST-1'])('rejects the region %s', (region) => {
    const parsed = parseImageUri(`123456789012.dkr.ecr.${region}.amazonaws.com/api:v1`)
    expect('error' in parsed && parsed.error).toMatch(/not an AWS region|not an ECR registry host/)
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
    // The sovereign cloud's console has its own domain (like its sign-in, signin.amazonaws-eusc.eu).
    ['eusc-de-east-1', 'aws-eusc', 'https://console.amazonaws-eusc.eu/ecr/'],
    ['cn-northwest-1', 'aws-cn', 'https://console.amazonaws.cn/ecr/'],
    ['us-gov-east-1', 'aws-us-gov', 'https://console.amazonaws-us-gov.com/ecr/'],
    ['eu-west-1', 'aws', 'https://eu-west-1.console.aws.amazon.com/ecr/'],
  ])('links %s into its partition (%s)', (region, partition, prefix) => {
    expect(partitionOf(region)).toBe(partition)
    const url = consoleUrl({ ...image, region })
    expect(url.startsWith(prefix)).toBe(true)
    expect(url).toContain(`${DIGEST}/scan-results?region=${region}`)
  })
})

describe('parseImageUri quoting what it rejects', () => {
  it('shortens a huge repository name and makes control characters visible', () => {
    const parsed = parseImageUri(
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/${'Bad'.repeat(1300)}\u001b[31m:v1`,
    )
    expect('error' in parsed && parsed.error.length).toBeLessThan(200)
    expect('error' in parsed && parsed.error).not.toContain('\u001b')
  })
})
