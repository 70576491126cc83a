// The committed bundle, run on Node 24 as the runner runs it, in the setups users report breaking:
// a corporate proxy (and NO_PROXY), FIPS endpoints, other partitions, a custom endpoint, and a
// runner with no AWS credentials at all.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { seedImage } from '../tools/seed-moto.ts'
import { startForwardProxy, type ForwardProxy } from './helpers/forward-proxy.js'
import { describeWithMoto, startMoto, type Moto } from './helpers/moto.js'
import { runAction } from './helpers/run-action.js'

const ECR_CALLS = [
  'DescribeImages',
  'GetRegistryScanningConfiguration',
  'StartImageScan',
  'DescribeImageScanFindings',
]

let proxy: ForwardProxy

beforeAll(async () => {
  proxy = await startForwardProxy()
})

afterAll(async () => {
  await proxy?.close()
})

beforeEach(() => proxy.clear())

describeWithMoto('the bundled action against moto', () => {
  let moto: Moto
  let digest: string

  beforeAll(async () => {
    moto = await startMoto()
  }, 30_000)

  afterAll(async () => {
    await moto?.stop()
  })

  beforeEach(async () => {
    await moto.reset()
    digest = await seedImage(moto.url)
    proxy.clear()
  })

  const scan = { repository: 'team/api', 'image-tag': 'v1' }

  it.each(['HTTP_PROXY', 'http_proxy'])('sends every AWS request through %s', async (name) => {
    const run = await runAction(scan, {
      env: { AWS_ENDPOINT_URL_ECR: moto.url, [name]: proxy.url },
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['scan-status']).toBe('COMPLETE')
    // DescribeImages and GetRegistryScanningConfiguration go out together: either may be first.
    const calls = ECR_CALLS.map((call) => `POST ${moto.url}/ ${call}`)
    expect(proxy.requests.slice(0, 2).sort()).toEqual(calls.slice(0, 2).sort())
    expect(proxy.requests.slice(2)).toEqual(calls.slice(2))
  })

  it('goes direct to hosts in NO_PROXY', async () => {
    const run = await runAction(scan, {
      env: {
        AWS_ENDPOINT_URL_ECR: moto.url,
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: 'localhost,127.0.0.1',
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['image-digest']).toBe(digest)
    expect(proxy.requests).toEqual([])
  })

  it('uses the generic AWS_ENDPOINT_URL too (custom and VPC endpoints)', async () => {
    const run = await runAction(scan, {
      env: { AWS_ENDPOINT_URL: moto.url, HTTP_PROXY: proxy.url },
    })
    expect(run.exitCode).toBe(0)
    expect(proxy.requests).toHaveLength(ECR_CALLS.length)
  })

  // moto keeps one registry per region, like ECR; the region comes from the image URI.
  it.each([
    ['us-gov-west-1', 'amazonaws.com', 'https://console.amazonaws-us-gov.com/ecr/'],
    ['cn-north-1', 'amazonaws.com.cn', 'https://console.amazonaws.cn/ecr/'],
  ])('scans an image in %s by its URI and links its console', async (region, domain, link) => {
    const regional = await seedImage(moto.url, 'team/api', 'v1', region)
    const run = await runAction(
      { image: `123456789012.dkr.ecr.${region}.${domain}/team/api:v1` },
      { env: { AWS_ENDPOINT_URL_ECR: moto.url, AWS_REGION: 'us-east-1' } },
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs['image-digest']).toBe(regional)
    expect(run.outputs['console-url']).toMatch(new RegExp(`^${link}.*\\?region=${region}$`))
  })
})

describe('the bundled action in every AWS setup', () => {
  it('fails on a proxy URL Node cannot use, before any request', async () => {
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1' },
      {
        env: {
          AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9',
          HTTP_PROXY: proxy.url,
          HTTPS_PROXY: 'socks5://user:s3cret@127.0.0.1:1080',
        },
      },
    )
    expect(run.exitCode).toBe(1)
    expect(run.commands('error')).toEqual([
      "::error::HTTPS_PROXY is 'socks5://***@127.0.0.1:1080': socks5 proxies are not supported, only http:// and https:// ones. Point HTTPS_PROXY at an HTTP proxy (one that accepts CONNECT), or unset it.",
    ])
    expect(run.stdout).not.toContain('s3cret')
    expect(proxy.requests).toEqual([])
  })

  // No network here: the proxy sees the CONNECT (which names the host), then cannot reach AWS.
  it('tunnels through HTTPS_PROXY to the FIPS endpoint with AWS_USE_FIPS_ENDPOINT', async () => {
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1', region: 'us-gov-west-1' },
      {
        env: { HTTPS_PROXY: proxy.url, AWS_USE_FIPS_ENDPOINT: 'true', AWS_MAX_ATTEMPTS: '1' },
      },
    )
    expect(run.exitCode).toBe(1)
    // DescribeImages and GetRegistryScanningConfiguration go out together: one or two tunnels,
    // every one of them to the FIPS host.
    expect(proxy.requests.length).toBeGreaterThanOrEqual(1)
    expect(new Set(proxy.requests)).toEqual(
      new Set(['CONNECT api.ecr-fips.us-gov-west-1.amazonaws.com:443']),
    )
    expect(run.commands('error')).toHaveLength(1)
  })

  it('says to add configure-aws-credentials when there are no credentials at all, quickly', async () => {
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1' },
      {
        env: {
          // run-action gives test keys by default; a runner without credentials has none.
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9',
          HTTP_PROXY: proxy.url,
        },
      },
    )
    expect(run.exitCode).toBe(1)
    expect(run.commands('error')).toEqual([
      expect.stringMatching(
        /^::error::No AWS credentials were found \(.*\)\. Add aws-actions\/configure-aws-credentials before this step/,
      ),
    ])
    expect(run.summary).toContain('No AWS credentials')
    expect(proxy.requests).toEqual([])
    // "Quickly" is the promise: with AWS_EC2_METADATA_DISABLED the SDK does not wait on the
    // instance metadata service before saying there are no credentials. Generous, for a busy
    // machine: what it guards against is a step that hangs instead of failing.
    expect(run.durationMs).toBeLessThan(15_000)
  })
})
