// The floor for any SDK-based action: create the ECR client and send one StartImageScan.
// Bundled with ncc like the action, so both pay the same bundling and start-up costs.
import { ECRClient, StartImageScanCommand } from '@aws-sdk/client-ecr'

const client = new ECRClient({})
await client.send(
  new StartImageScanCommand({
    repositoryName: process.env.INPUT_REPOSITORY ?? '',
    imageId: { imageTag: process.env['INPUT_IMAGE-TAG'] ?? '' },
  }),
)
client.destroy()
