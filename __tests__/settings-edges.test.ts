// The edges of the inputs: the limits are inclusive, numbers are decimal, regions come trimmed
// from the environment, and each refusal names what to change.
import { describe, expect, it } from '@jest/globals'
import { ActionError, InputError } from '../src/kernel/errors.js'
import type { InputName } from '../src/kernel/names.js'
import { getSettings } from '../src/inputs/settings.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
const ENV = { AWS_REGION: 'us-east-1' }
const HOST = (region: string, account = '123456789012') =>
  `${account}.dkr.ecr.${region}.amazonaws.com`

function settingsOf(inputs: Partial<Record<InputName, string>>, env: Record<string, string> = ENV) {
  return getSettings((name) => inputs[name] ?? '', env)
}

function refusal(inputs: Partial<Record<InputName, string>>, env: Record<string, string> = ENV) {
  try {
    settingsOf(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

const image = { repository: 'team/api', 'image-tag': 'v1' }

describe('numbers', () => {
  it.each([
    ['concurrency', '1000', 1000],
    ['concurrency', '25', 25],
    ['requests-per-second', '0.1', 0.1],
    ['requests-per-second', '0.25', 0.25],
    ['requests-per-second', '12.5', 12.5],
    ['requests-per-second', '100', 100],
  ] as const)('accepts %s %s, the limits included', (name, value, expected) => {
    const key = name === 'concurrency' ? 'concurrency' : 'requestsPerSecond'
    expect(settingsOf({ ...image, [name]: value }).scan[key]).toBe(expected)
  })

  it.each(['1e2', '0x10', '+5'])('refuses requests-per-second %s: decimal digits only', (value) => {
    expect(refusal({ ...image, 'requests-per-second': value }).message).toBe(
      `Input 'requests-per-second' is '${value}'; expected a number at least 0.1 and at most 100.`,
    )
  })

  it('says a whole number is expected, without a unit where there is none', () => {
    expect(refusal({ ...image, concurrency: '0' }).message).toBe(
      "Input 'concurrency' is '0'; expected a whole number at least 1 and at most 1000.",
    )
  })
})

describe('images', () => {
  it('scans up to 1000 images in one step, and refuses more naming the input used', () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `v${i}`)
    expect(settingsOf({ repository: 'team/api', 'image-tag': tags.join(',') }).images).toHaveLength(
      1000,
    )
    expect(
      refusal({ repository: 'team/api', 'image-tag': [...tags, 'v1000'].join(',') }).input,
    ).toBe('image-tag')
    const references = Array.from({ length: 1001 }, (_, i) => `${HOST('us-east-1')}/api:v${i}`)
    expect(refusal({ image: references.join('\n') }).input).toBe('image')
  })

  it('keeps the same repository and tag in two regions or two registries apart', () => {
    const images = settingsOf(
      {
        image: [
          `${HOST('us-east-1')}/api:v1`,
          `${HOST('eu-west-1')}/api:v1`,
          `${HOST('us-east-1', '210987654321')}/api:v1`,
          `${HOST('us-east-1')}/api:v1`,
        ].join('\n'),
      },
      {},
    ).images
    expect(images.map(({ region, target }) => `${region} ${target.registryId}`)).toEqual([
      'us-east-1 123456789012',
      'eu-west-1 123456789012',
      'us-east-1 210987654321',
    ])
  })

  it('names every input that conflicts with image', () => {
    expect(
      refusal({ image: `${HOST('us-east-1')}/api:v1`, repository: 'api', 'image-tag': 'v1' })
        .message,
    ).toContain("cannot be combined with 'repository', 'image-tag':")
  })

  it('refuses several tags with a digest: each would need to point to it', () => {
    expect(
      refusal({ repository: 'team/api', 'image-tag': 'v1,v2', 'image-digest': DIGEST }).input,
    ).toBe('image-digest')
  })
})

describe('region', () => {
  it('accepts a region input that agrees with the image references', () => {
    expect(
      settingsOf({ image: `${HOST('eu-west-1')}/api:v1`, region: 'eu-west-1' }, {}).images[0]
        ?.region,
    ).toBe('eu-west-1')
  })

  it('trims AWS_REGION and AWS_DEFAULT_REGION', () => {
    expect(settingsOf(image, { AWS_REGION: 'eu-west-1\n' }).images[0]?.region).toBe('eu-west-1')
    expect(settingsOf(image, { AWS_DEFAULT_REGION: ' eu-west-2 ' }).images[0]?.region).toBe(
      'eu-west-2',
    )
  })

  it('names AWS_DEFAULT_REGION when its value is no region', () => {
    expect(refusal(image, { AWS_DEFAULT_REGION: 'europe' }).message).toBe(
      "Region 'europe' (from AWS_DEFAULT_REGION) is not an AWS region name, e.g. us-east-1.",
    )
  })
})

describe('other inputs', () => {
  it.each([
    ['basic', 'BASIC'],
    ['enhanced', 'ENHANCED'],
    ['auto', 'auto'],
  ])('reads scan-type %s', (value, expected) => {
    expect(settingsOf({ ...image, 'scan-type': value }).scan.scanType).toBe(expected)
  })

  it('writes a dockerfile path with forward slashes', () => {
    expect(settingsOf({ ...image, dockerfile: 'docker\\api\\Dockerfile' }).report.dockerfile).toBe(
      'docker/api/Dockerfile',
    )
  })

  it('refuses a proxy URL the AWS client cannot use before any request', () => {
    expect(() => settingsOf(image, { ...ENV, HTTPS_PROXY: 'socks5://proxy:1080' })).toThrow(
      ActionError,
    )
  })
})
