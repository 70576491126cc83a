import { describe, expect, it } from '@jest/globals'
import { platformManifests } from '../src/ecr/manifests.js'

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
