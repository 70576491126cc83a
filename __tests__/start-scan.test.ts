// startImageScan's outcomes, one per answer ECR gives: started, the quota, IAM's refusal, an
// enhanced registry's refusal (an outcome when the scan type is unknown, an error when it was
// said), and anything else thrown as it came.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { ECRClient, StartImageScanCommand } from '@aws-sdk/client-ecr'
import { describeFailure } from '../src/kernel/errors.js'
import { startImageScan } from '../src/ecr/scan.js'

const ecr = mockClient(ECRClient)
const client = new ECRClient({ region: 'us-east-1' })
const image = {
  registryId: '123456789012',
  repositoryName: 'team/api',
  imageDigest: `sha256:${'e'.repeat(64)}`,
}
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name })

beforeEach(() => {
  ecr.reset()
})

describe('startImageScan', () => {
  it('starts the scan of the digest, passing the signal on', async () => {
    ecr.on(StartImageScanCommand).resolves({
      imageScanStatus: { status: 'IN_PROGRESS', description: 'started' },
    })
    const signal = new AbortController().signal
    expect(await startImageScan(client, image, true, signal)).toEqual({
      kind: 'started',
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: 'started',
    })
    const [call] = ecr.commandCalls(StartImageScanCommand)
    expect(call?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageId: { imageDigest: image.imageDigest },
    })
    // The SDK's send(command, options): the options carry the job's cancellation.
    expect((call?.args as unknown[] | undefined)?.[1]).toEqual({ abortSignal: signal })
  })

  it('takes an answer without a status for a scan in progress', async () => {
    ecr.on(StartImageScanCommand).resolves({})
    expect(await startImageScan(client, image, true)).toMatchObject({ scanStatus: 'IN_PROGRESS' })
  })

  it('leaves the registry out when the image has none (the caller’s own)', async () => {
    ecr.on(StartImageScanCommand).resolves({})
    await startImageScan(client, { ...image, registryId: '' }, true)
    expect(ecr.commandCalls(StartImageScanCommand)[0]?.args[0].input.registryId).toBeUndefined()
  })

  it('answers the quota and the refusal as outcomes', async () => {
    ecr.on(StartImageScanCommand).rejects(awsError('LimitExceededException', 'quota'))
    expect(await startImageScan(client, image, true)).toEqual({
      kind: 'limit-exceeded',
      message: 'quota',
    })
    ecr.on(StartImageScanCommand).rejects(awsError('AccessDeniedException', 'no'))
    expect(await startImageScan(client, image, true)).toEqual({ kind: 'denied', message: 'no' })
  })

  it('takes "feature is disabled" for an enhanced registry when the scan type is unknown', async () => {
    const refusal = awsError('ValidationException', 'This feature is disabled')
    ecr.on(StartImageScanCommand).rejects(refusal)
    expect(await startImageScan(client, image, false)).toEqual({
      kind: 'enhanced-registry',
      message: 'This feature is disabled',
    })
    const error = await startImageScan(client, image, true).catch((thrown: unknown) => thrown)
    expect(describeFailure(error)).toBe(
      "ECR refused the scan: This feature is disabled. The registry probably uses enhanced scanning (Amazon Inspector), which takes no manual scans. Set scan-type: enhanced (or auto) to report Inspector's findings instead.",
    )
  })

  it('throws any other error as it came, including other validation errors', async () => {
    for (const error of [
      awsError('ValidationException', 'bad digest'),
      awsError('InvalidParameterException', 'This feature is disabled'),
    ]) {
      ecr.on(StartImageScanCommand).rejects(error)
      await expect(startImageScan(client, image, false)).rejects.toBe(error)
    }
  })
})
