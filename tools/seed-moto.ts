// node tools/seed-moto.ts ENDPOINT [REPOSITORY] [TAG] [REGION]
// Creates a repository and pushes one single-platform image manifest to a moto (or emulator)
// ECR endpoint, prints the image digest, and writes `image-digest=…` to $GITHUB_OUTPUT when set.
// The self-test workflow seeds its moto service with it; tests use seedImage() directly.
import { appendFileSync } from 'node:fs'
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr'

// Blobs are not uploaded: moto and the emulator keep the manifest only, which is all the
// scan APIs look at.
export const IMAGE_MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: {
    mediaType: 'application/vnd.docker.container.image.v1+json',
    size: 7023,
    digest: `sha256:${'1'.repeat(64)}`,
  },
  layers: [
    {
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      size: 1,
      digest: `sha256:${'2'.repeat(64)}`,
    },
  ],
})

export async function seedImage(
  endpoint: string,
  repositoryName = 'team/api',
  imageTag = 'v1',
  region = 'us-east-1',
): Promise<string> {
  const ecr = new ECRClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName }))
    const put = await ecr.send(
      new PutImageCommand({ repositoryName, imageTag, imageManifest: IMAGE_MANIFEST }),
    )
    const digest = put.image?.imageId?.imageDigest
    if (!digest) throw new Error('PutImage answered without an image digest')
    return digest
  } finally {
    ecr.destroy()
  }
}

if (import.meta.main) {
  const [endpoint, repositoryName, imageTag, region] = process.argv.slice(2)
  if (!endpoint) {
    console.error('Usage: node tools/seed-moto.ts ENDPOINT [REPOSITORY] [TAG] [REGION]')
    process.exit(2)
  }
  const digest = await seedImage(endpoint, repositoryName, imageTag, region)
  console.log(digest)
  if (process.env.GITHUB_OUTPUT)
    appendFileSync(process.env.GITHUB_OUTPUT, `image-digest=${digest}\n`)
}
