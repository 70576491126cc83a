// Which entries of an image index are scanned: everything with a digest whose platform is not
// unknown/unknown (BuildKit's attestations), even when the index leaves part of it out.
import { describe, expect, it } from '@jest/globals'
import { platformManifests } from '../src/ecr/manifests.js'

describe('platformManifests', () => {
  it('scans an entry that names only its os or only its architecture, skipping one without a platform', () => {
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:1', platform: { os: 'linux' } },
        { digest: 'sha256:2', platform: { architecture: 'arm64' } },
        { digest: 'sha256:3', platform: { os: 'windows', architecture: 'unknown' } },
        { digest: 'sha256:4' },
      ],
    })
    expect(
      platformManifests(index).map(({ platform, imageDigest }) => [platform, imageDigest]),
    ).toEqual([
      ['linux/unknown', 'sha256:1'],
      ['unknown/arm64', 'sha256:2'],
      ['windows/unknown', 'sha256:3'],
    ])
  })
})
