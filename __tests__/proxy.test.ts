// HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the AWS client: checked before any request, and
// honoured on the wire by the real SDK (through Node's own proxy support), including the
// lower-case names runners set and the FIPS endpoints the SDK picks by itself.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StartImageScanCommand } from '@aws-sdk/client-ecr'
import { createEcrClient } from '../src/ecr/client.js'
import { ActionError, describeFailure } from '../src/kernel/errors.js'
import { proxyEnvironment } from '../src/kernel/proxy.js'
import { startForwardProxy, type ForwardProxy } from './helpers/forward-proxy.js'

describe('proxyEnvironment', () => {
  it('is undefined without a proxy URL, even with NO_PROXY', () => {
    expect(proxyEnvironment({})).toBeUndefined()
    expect(proxyEnvironment({ NO_PROXY: '*', HTTPS_PROXY: '  ' })).toBeUndefined()
  })

  it('keeps every proxy variable, upper and lower case', () => {
    expect(
      proxyEnvironment({
        HTTPS_PROXY: 'http://proxy:3128',
        http_proxy: 'https://proxy:3129',
        no_proxy: '.internal,169.254.169.254',
        PATH: '/bin',
      }),
    ).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      http_proxy: 'https://proxy:3129',
      no_proxy: '.internal,169.254.169.254',
    })
  })

  it('reads a value without a scheme as http://, as curl does', () => {
    expect(proxyEnvironment({ HTTPS_PROXY: 'proxy.corp:3128' })).toEqual({
      HTTPS_PROXY: 'http://proxy.corp:3128',
    })
  })

  it('rejects a SOCKS proxy without printing its password', () => {
    const check = () => proxyEnvironment({ HTTPS_PROXY: 'socks5://user:s3cret@proxy:1080' })
    expect(check).toThrow(ActionError)
    let message = ''
    try {
      check()
    } catch (error) {
      message = describeFailure(error)
    }
    expect(message).toBe(
      "HTTPS_PROXY is 'socks5://***@proxy:1080': socks5 proxies are not supported, only http:// and https:// ones. Point HTTPS_PROXY at an HTTP proxy (one that accepts CONNECT), or unset it.",
    )
  })

  it('rejects a value that is no URL', () => {
    expect(() => proxyEnvironment({ http_proxy: 'http://exa mple:80' })).toThrow(
      "http_proxy is 'http://exa mple:80', which is not a proxy URL.",
    )
  })
})

describe('the ECR client behind a proxy', () => {
  let ecr: Server
  let ecrUrl: string
  let proxy: ForwardProxy
  let direct: string[] = []

  beforeAll(async () => {
    ecr = createServer((request, response) => {
      direct.push(`${request.method} ${request.url}`)
      request.resume()
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        response.end(JSON.stringify({ imageScanStatus: { status: 'IN_PROGRESS' } }))
      })
    })
    await new Promise<void>((resolve) => ecr.listen(0, '127.0.0.1', resolve))
    ecrUrl = `http://127.0.0.1:${(ecr.address() as AddressInfo).port}`
    proxy = await startForwardProxy()
    process.env.AWS_ACCESS_KEY_ID = 'test'
    process.env.AWS_SECRET_ACCESS_KEY = 'test'
  })

  afterEach(() => {
    proxy.clear()
    direct = []
    delete process.env.AWS_ENDPOINT_URL_ECR
    delete process.env.AWS_USE_FIPS_ENDPOINT
    delete process.env.AWS_MAX_ATTEMPTS
  })

  afterAll(async () => {
    delete process.env.AWS_ACCESS_KEY_ID
    delete process.env.AWS_SECRET_ACCESS_KEY
    await proxy.close()
    await new Promise((resolve) => ecr.close(resolve))
  })

  const startScan = (region: string, env: Record<string, string>) => {
    const client = createEcrClient(region, env)
    return client
      .send(new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } }))
      .finally(() => client.destroy())
  }

  it.each(['HTTP_PROXY', 'http_proxy'])(
    'sends requests to an http:// endpoint through %s',
    async (name) => {
      process.env.AWS_ENDPOINT_URL_ECR = ecrUrl
      await expect(startScan('us-east-1', { [name]: proxy.url })).resolves.toMatchObject({
        imageScanStatus: { status: 'IN_PROGRESS' },
      })
      expect(proxy.requests).toEqual([`POST ${ecrUrl}/ StartImageScan`])
      expect(direct).toHaveLength(1)
    },
  )

  it('keeps its connection to the proxy open from one request to the next', async () => {
    process.env.AWS_ENDPOINT_URL_ECR = ecrUrl
    const client = createEcrClient('us-east-1', { HTTP_PROXY: proxy.url })
    const command = new StartImageScanCommand({ repositoryName: 'r1', imageId: { imageTag: 't' } })
    try {
      await client.send(command)
      await client.send(command)
      await client.send(command)
    } finally {
      client.destroy()
    }
    expect(proxy.requests).toHaveLength(3)
    expect(proxy.connections()).toBe(1)
  })

  it.each([
    ['NO_PROXY', '127.0.0.1'],
    ['no_proxy', 'localhost,127.0.0.1:0,127.0.0.1'],
    ['NO_PROXY', '*'],
  ])('goes direct when %s is %s', async (name, value) => {
    process.env.AWS_ENDPOINT_URL_ECR = ecrUrl
    await startScan('us-east-1', { HTTP_PROXY: proxy.url, [name]: value })
    expect(proxy.requests).toEqual([])
    expect(direct).toHaveLength(1)
  })

  it('goes direct without proxy variables', async () => {
    process.env.AWS_ENDPOINT_URL_ECR = ecrUrl
    await startScan('us-east-1', {})
    expect(proxy.requests).toEqual([])
    expect(direct).toHaveLength(1)
  })

  it('prefers the lower-case variable, as curl does', async () => {
    process.env.AWS_ENDPOINT_URL_ECR = ecrUrl
    await startScan('us-east-1', { HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: proxy.url })
    expect(proxy.requests).toHaveLength(1)
  })

  // No network here: the proxy records the CONNECT and then cannot reach AWS, which is enough
  // to see that the https request was tunnelled and to which host.
  it.each([
    ['us-east-1', {}, 'api.ecr.us-east-1.amazonaws.com:443'],
    ['cn-north-1', {}, 'api.ecr.cn-north-1.amazonaws.com.cn:443'],
    ['eusc-de-east-1', {}, 'api.ecr.eusc-de-east-1.amazonaws.eu:443'],
    ['us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'api.ecr-fips.us-east-1.amazonaws.com:443'],
    [
      'us-gov-west-1',
      { AWS_USE_FIPS_ENDPOINT: 'true' },
      'api.ecr-fips.us-gov-west-1.amazonaws.com:443',
    ],
  ])('tunnels https to %s through HTTPS_PROXY (%o)', async (region, extra, host) => {
    Object.assign(process.env, extra, { AWS_MAX_ATTEMPTS: '1' })
    await expect(startScan(region, { HTTPS_PROXY: proxy.url })).rejects.toThrow()
    expect(proxy.requests).toEqual([`CONNECT ${host}`])
  })
})

describe('FIPS endpoints', () => {
  afterEach(() => {
    delete process.env.AWS_USE_FIPS_ENDPOINT
  })

  // The SDK reads AWS_USE_FIPS_ENDPOINT itself; the action adds nothing, and must not break it.
  it.each([
    ['us-east-1', undefined, 'https://api.ecr.us-east-1.amazonaws.com/'],
    ['us-east-1', 'true', 'https://api.ecr-fips.us-east-1.amazonaws.com/'],
    ['us-west-2', 'true', 'https://api.ecr-fips.us-west-2.amazonaws.com/'],
    ['us-gov-west-1', undefined, 'https://api.ecr.us-gov-west-1.amazonaws.com/'],
    ['us-gov-west-1', 'true', 'https://api.ecr-fips.us-gov-west-1.amazonaws.com/'],
    ['us-gov-east-1', 'true', 'https://api.ecr-fips.us-gov-east-1.amazonaws.com/'],
  ])('resolves %s with AWS_USE_FIPS_ENDPOINT=%s to %s', async (region, fips, url) => {
    if (fips) process.env.AWS_USE_FIPS_ENDPOINT = fips
    const client = createEcrClient(region, {})
    const endpoint = client.config.endpointProvider({
      Region: region,
      UseFIPS: await client.config.useFipsEndpoint(),
      UseDualStack: await client.config.useDualstackEndpoint(),
    })
    expect(endpoint.url.href).toBe(url)
    client.destroy()
  })
})
