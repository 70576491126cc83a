// The floor for an action built on @actions/core: the reference script plus reading an input
// and setting an output through it, bundled the same way.
import * as core from '@actions/core'
import { ECRClient, StartImageScanCommand } from '@aws-sdk/client-ecr'

const client = new ECRClient({})
const response = await client.send(
  new StartImageScanCommand({
    repositoryName: core.getInput('repository'),
    imageId: { imageTag: core.getInput('image-tag') },
  }),
)
core.setOutput('scan-status', response.imageScanStatus?.status ?? '')
client.destroy()
