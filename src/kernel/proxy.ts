// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and the lower-case names runners often set) for the AWS
// client. Node 24.5+ implements them in its own agents (`proxyEnv`); this module only checks and
// normalises the values first, because Node silently ignores a proxy URL it cannot use and would
// then connect directly, which on a locked-down runner ends in a confusing timeout.

import { ActionError } from './errors.js'

const PROXY_URLS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const
const NO_PROXY = ['NO_PROXY', 'no_proxy'] as const

export type ProxyEnv = Partial<
  Record<(typeof PROXY_URLS)[number] | (typeof NO_PROXY)[number], string>
>

/**
 * The proxy variables to hand to Node's agents, or undefined when no proxy is set. A value
 * without a scheme (`proxy.corp:3128`) is read as http://, as curl does.
 */
export function proxyEnvironment(env: Record<string, string | undefined>): ProxyEnv | undefined {
  const proxyEnv: ProxyEnv = {}
  for (const name of PROXY_URLS) {
    const value = env[name]?.trim()
    if (value) proxyEnv[name] = proxyUrl(name, value)
  }
  if (Object.keys(proxyEnv).length === 0) return undefined
  for (const name of NO_PROXY) {
    const value = env[name]?.trim()
    if (value) proxyEnv[name] = value
  }
  return proxyEnv
}

function proxyUrl(name: string, value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new ActionError(
      `${name} is '${redact(value)}', which is not a proxy URL.`,
      `Set it to http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT), or unset it.`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ActionError(
      `${name} is '${redact(value)}': ${url.protocol.slice(0, -1)} proxies are not supported, only http:// and https:// ones.`,
      `Point ${name} at an HTTP proxy (one that accepts CONNECT), or unset it.`,
    )
  }
  return withScheme
}

/** Proxy URLs may carry a password; never print it. */
function redact(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@')
}
