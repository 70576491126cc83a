import { describe, expect, it } from '@jest/globals'
import { platformManifests, samePlatform } from '../src/ecr/manifests.js'

describe('platformManifests', () => {
  it('lists the platforms of a Docker manifest list', () => {
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [
        {
          digest: 'sha256:1',
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          platform: { os: 'linux', architecture: 'amd64' },
        },
        { digest: 'sha256:2', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      ],
    })
    expect(platformManifests(list)).toEqual([
      {
        platform: 'linux/amd64',
        imageDigest: 'sha256:1',
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      },
      { platform: 'linux/arm/v7', imageDigest: 'sha256:2', imageManifestMediaType: undefined },
    ])
  })

  it('skips attestation manifests, by annotation or by the unknown/unknown platform', () => {
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:1', platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:2', platform: { os: 'unknown', architecture: 'unknown' } },
        {
          digest: 'sha256:3',
          platform: { os: 'linux', architecture: 'amd64' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    })
    expect(platformManifests(index).map((manifest) => manifest.imageDigest)).toEqual(['sha256:1'])
  })

  it('fails clearly on a manifest that is not JSON', () => {
    expect(() => platformManifests('{')).toThrow('not valid JSON')
  })
})

describe('samePlatform', () => {
  it('takes arm64 with and without the v8 variant for one platform', () => {
    expect(samePlatform('linux/arm64', 'linux/arm64/v8')).toBe(true)
    expect(samePlatform('linux/arm64/v8', 'linux/arm64')).toBe(true)
    expect(samePlatform('linux/amd64', 'linux/amd64')).toBe(true)
  })

  it('keeps every other variant, os and architecture apart', () => {
    expect(samePlatform('linux/arm/v6', 'linux/arm/v7')).toBe(false)
    expect(samePlatform('linux/arm/v7', 'linux/arm')).toBe(false)
    expect(samePlatform('linux/amd64', 'linux/arm64')).toBe(false)
    expect(samePlatform('windows/arm64', 'linux/arm64')).toBe(false)
    expect(samePlatform('linux/arm64/v9', 'linux/arm64')).toBe(false)
  })
})
