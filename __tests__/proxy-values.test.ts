// What proxyEnvironment hands to Node's agents: only variables that hold a value, trimmed, and
// for a bad URL a message that says what to write instead.
import { describe, expect, it } from '@jest/globals'
import { describeFailure } from '../src/kernel/errors.js'
import { proxyEnvironment } from '../src/kernel/proxy.js'

describe('proxyEnvironment', () => {
  it('leaves out a blank NO_PROXY, so it cannot hide the lower-case one', () => {
    expect(
      proxyEnvironment({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '  ', no_proxy: '.internal' }),
    ).toStrictEqual({ HTTPS_PROXY: 'http://proxy:3128', no_proxy: '.internal' })
  })

  it('trims NO_PROXY as it trims the proxy URLs', () => {
    expect(
      proxyEnvironment({ HTTPS_PROXY: ' http://proxy:3128 ', NO_PROXY: ' .internal,localhost\n' }),
    ).toStrictEqual({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.internal,localhost' })
  })

  it('says how to write a proxy URL when the value is none', () => {
    let failure = ''
    try {
      proxyEnvironment({ HTTPS_PROXY: 'http://pro xy:3128' })
    } catch (error) {
      failure = describeFailure(error)
    }
    expect(failure).toBe(
      "HTTPS_PROXY is 'http://pro xy:3128', which is not a proxy URL. Set it to http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT), or unset it.",
    )
  })
})
