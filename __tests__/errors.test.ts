// Every error line names the cause and the way out in plain words: no JSON, no
// `[object Object]`, none of the SDK's internals, whatever was thrown.
import { describe, expect, it } from '@jest/globals'
import {
  ActionError,
  InputError,
  describeFailure,
  errorDetails,
  errorMessage,
} from '../src/kernel/errors.js'
import {
  explainAwsError,
  isAccessDenied,
  isQuotaError,
  isThrottling,
  isTransient,
  noScanError,
  type NoScanCause,
} from '../src/ecr/errors.js'
import { repositoryFilterMatches } from '../src/ecr/registry.js'

// On a runner, as the advice for missing credentials depends on it (credentials-advice.test.ts
// has a shell's); jest gives each test file its own copy of process.env.
process.env.GITHUB_ACTIONS = 'true'

const context = {
  image: 'team/api:v1',
  repositoryName: 'team/api',
  region: 'us-east-1',
  registryId: '123456789012',
}

/**
 * An error as the SDK throws it for an ECR answer: name, message, $fault, $metadata, and the raw
 * answer in a hidden $response.
 */
function sdkError(name: string, message: string, status = 400, extra: object = {}): Error {
  const error = Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'b1c2d3e4', attempts: 3 },
    $operation: 'DescribeImages',
    ...extra,
  })
  return Object.defineProperty(error, '$response', { value: { statusCode: status } })
}

/** What the SDK appends to the message of an error it met while reading an answer. */
const sdkNote =
  'Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'

const INTERNALS = /[{}]|\[object|\$metadata|\$fault|\$response|Deserialization|undefined|null/

const thrown: [string, unknown][] = [
  [
    'credentials',
    sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
  ],
  [
    'access denied',
    sdkError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/x is not authorized'),
  ],
  [
    'expired token',
    sdkError('ExpiredTokenException', 'The security token included in the request is expired'),
  ],
  [
    'repository',
    sdkError(
      'RepositoryNotFoundException',
      "The repository with name 'team/api' does not exist in the registry with id '123456789012'",
    ),
  ],
  [
    'image',
    sdkError(
      'ImageNotFoundException',
      "The image with imageId {imageDigest:'null', imageTag:'v1'} does not exist",
    ),
  ],
  [
    'archived',
    sdkError('ImageArchivedException', 'The specified image is archived and cannot be scanned.'),
  ],
  [
    'index',
    sdkError(
      'UnsupportedImageTypeException',
      "An artifact with media type 'application/vnd.oci.image.index.v1+json' cannot be scanned.",
    ),
  ],
  [
    'unsupported',
    sdkError('UnsupportedImageTypeException', 'The image is of a type that cannot be scanned.'),
  ],
  [
    'scan not found',
    sdkError(
      'ScanNotFoundException',
      "Image scan does not exist for the image with '{imageDigest:'sha256:1', imageTag:'null'}'",
    ),
  ],
  ['validation', sdkError('ValidationException', 'This feature is disabled')],
  ['server', sdkError('ServerException', 'We encountered an internal error.', 500)],
  ['throttling', sdkError('ThrottlingException', 'Rate exceeded')],
  ['unknown 503', sdkError('Unknown', 'UnknownError', 503)],
  [
    'malformed answer',
    Object.assign(
      new SyntaxError(
        'Unexpected token < in JSON at position 0\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      {
        $response: { statusCode: 200 },
        $metadata: {},
      },
    ),
  ],
  ['reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ['a plain object', { name: 'ScanNotFoundException', message: 'ECR has no scan of this image.' }],
  ['an object without words', { $metadata: { httpStatusCode: 500 } }],
  ['a string', 'something odd'],
  ['undefined', undefined],
]

describe('error lines in plain words', () => {
  it.each(thrown)('%s', (_, error) => {
    const line = describeFailure(explainAwsError(error, context))
    expect(line).not.toMatch(INTERNALS)
    expect(line.length).toBeGreaterThan(30)
  })

  it.each<[string, NoScanCause, string]>([
    [
      'ECR cannot say why',
      'unknown',
      'No scan exists for team/api:v1: ECR has no scan of this image. Turn on scan on push for the repository, or let this action start the scan (wait: true with basic scanning); with enhanced scanning, check that a scanning rule covers the repository.',
    ],
    [
      'no scanning rule covers the repository',
      { kind: 'not-covered', registryId: '123456789012', filters: ['prod*', 'release-*'] },
      'No scan exists for team/api:v1, and none will: the registry 123456789012 uses enhanced scanning (Amazon Inspector), and none of its scanning rules covers the repository (filters: prod*, release-*). Under enhanced scanning ECR takes no manual scans. Add a scan-on-push or continuous-scanning rule whose filter matches the repository (ECR console: Private registry > Scanning; or PutRegistryScanningConfiguration).',
    ],
    [
      "the image is in another account's registry",
      { kind: 'other-registry', registryId: '210987654321' },
      'No scan exists for team/api:v1 as seen from this account: the image is in another account\'s registry (210987654321), and ECR answers "scan not found" to cross-account callers when that registry uses enhanced scanning. Read the findings with a role in account 210987654321 (aws-actions/configure-aws-credentials with role-to-assume), or run the scan step in that account.',
    ],
    [
      'IAM denied starting one',
      { kind: 'start-denied' },
      "No scan exists for team/api:v1, and this role may not start one: IAM denied ecr:StartImageScan, and scan on push made no scan of the image. Allow ecr:StartImageScan on the repository, or turn on scan on push for it (the registry's basic scanning rules) so the role only needs to read.",
    ],
    [
      'the step does not wait',
      { kind: 'not-waiting' },
      'No scan exists for team/api:v1: scan on push is off for the repository and, with wait: false, this step reports only a scan that already exists. Set wait: true so the action starts the scan and waits for it, or turn on scan on push for the repository.',
    ],
  ])('says no scan exists, and why, when %s', (_, cause, expected) => {
    expect(describeFailure(noScanError('team/api:v1', cause))).toBe(expected)
  })

  it('says "filters: none" when no scanning rule of the registry has a filter', () => {
    const line = describeFailure(
      noScanError('team/api:v1', { kind: 'not-covered', registryId: '123456789012', filters: [] }),
    )
    expect(line).toContain('none of its scanning rules covers the repository (filters: none).')
  })

  it('names the tag, repository, registry and region when the image is not found', () => {
    const line = describeFailure(
      explainAwsError(sdkError('ImageNotFoundException', 'does not exist'), context),
    )
    expect(line).toContain(
      "Image team/api:v1 was not found in repository 'team/api' of registry 123456789012 in region us-east-1.",
    )
  })

  it('names a host that does not resolve and what sets it', () => {
    const dns = (host: string) =>
      Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
        code: 'ENOTFOUND',
        hostname: host,
      })
    const region = describeFailure(
      explainAwsError(dns('api.ecr.us-eastt-1.amazonaws.com'), {
        ...context,
        region: 'us-eastt-1',
      }),
    )
    expect(region).toContain('The host api.ecr.us-eastt-1.amazonaws.com could not be found')
    expect(region).toContain("region 'us-eastt-1'")
    expect(region).not.toContain('temporary')
    const endpoint = describeFailure(explainAwsError(dns('ecr.internal.exmaple'), context))
    expect(endpoint).toContain('AWS_ENDPOINT_URL_ECR')
  })

  const checkRole =
    'Check the credentials from aws-actions/configure-aws-credentials; the role needs ecr:DescribeImages, ecr:StartImageScan, ecr:DescribeImageScanFindings, ecr:GetRegistryScanningConfiguration, ecr:BatchGetImage on the repository (GetRegistryScanningConfiguration only with scan-type: auto, BatchGetImage only for multi-arch images; enhanced scanning also needs inspector2:ListFindings).'
  const temporary =
    'This is usually temporary: re-run the job. AWS_MAX_ATTEMPTS raises the number of retries.'
  const checkImage =
    'Check the repository, image and region; re-run with debug logging for details.'
  it.each<[string, unknown, string]>([
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
        tryNextLink: false,
        $operation: 'DescribeImages',
      }),
      'No AWS credentials were found (Could not load credentials from any providers). Add aws-actions/configure-aws-credentials before this step (with OIDC: permissions id-token: write).',
    ],
    [
      'an access denied',
      sdkError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: ecr:StartImageScan on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api because no identity-based policy allows the ecr:StartImageScan action',
        400,
        { $operation: 'StartImageScan' },
      ),
      `AWS refused StartImageScan for team/api:v1 (AccessDeniedException): User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: ecr:StartImageScan on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api because no identity-based policy allows the ecr:StartImageScan action. ${checkRole}`,
    ],
    [
      'an S3-style AccessDenied',
      sdkError('AccessDenied', 'Access Denied', 403),
      `AWS refused DescribeImages for team/api:v1 (AccessDenied): Access Denied. ${checkRole}`,
    ],
    [
      'an image that is not a container image',
      sdkError(
        'UnsupportedImageTypeException',
        'The image is of a type that cannot be scanned.',
        400,
        {
          $operation: 'StartImageScan',
        },
      ),
      'ECR cannot scan team/api:v1. ECR said: The image is of a type that cannot be scanned. Only container images with a supported operating system can be scanned.',
    ],
    [
      'an image index',
      sdkError(
        'UnsupportedImageTypeException',
        "An artifact with media type 'application/vnd.oci.image.index.v1+json' cannot be scanned. For more information, see the Amazon ECR documentation.",
        400,
        { $operation: 'StartImageScan' },
      ),
      "team/api:v1 is an image index (a multi-arch image, or a BuildKit build with a provenance attestation), which ECR cannot scan as such. Give the index's tag or digest so the action finds it by DescribeImages and scans each platform manifest, or build a single-platform image with provenance: false.",
    ],
    [
      'an answer that is not JSON',
      Object.defineProperty(
        Object.assign(
          new SyntaxError(`Unexpected token '<', "<html><bod"... is not valid JSON\n  ${sdkNote}`),
          {
            $metadata: { httpStatusCode: 200, requestId: undefined, attempts: 1 },
            $operation: 'DescribeImageScanFindings',
          },
        ),
        '$response',
        { value: { statusCode: 200 } },
      ),
      "ECR's answer to DescribeImageScanFindings for team/api:v1 could not be read (it was not the JSON ECR sends). This is usually a network or proxy problem, and temporary: re-run the job.",
    ],
    [
      "an error whose only words are the SDK's note on the raw answer",
      Object.defineProperty(
        Object.assign(new Error(`\n  ${sdkNote}`), {
          $metadata: { httpStatusCode: 200, attempts: 1 },
          $operation: 'DescribeImages',
        }),
        '$response',
        { value: { statusCode: 200 } },
      ),
      `DescribeImages failed for team/api:v1: no explanation was given. ${checkImage}`,
    ],
    [
      'a reset connection',
      Object.assign(new Error('socket hang up'), {
        code: 'ECONNRESET',
        $metadata: { attempts: 3 },
        $operation: 'DescribeImageScanFindings',
      }),
      `ECR did not answer DescribeImageScanFindings for team/api:v1 successfully, even after retries: socket hang up. ${temporary}`,
    ],
    [
      'a 503 with no message',
      sdkError('Unknown', 'UnknownError', 503),
      `ECR did not answer DescribeImages for team/api:v1 successfully, even after retries: ECR answered HTTP 503 without an explanation. ${temporary}`,
    ],
    [
      'a 502 with the placeholder "Unknown"',
      sdkError('Unknown', 'Unknown', 502),
      `ECR did not answer DescribeImages for team/api:v1 successfully, even after retries: ECR answered HTTP 502 without an explanation. ${temporary}`,
    ],
    [
      'a server error ECR names',
      sdkError('ServerException', 'internal', 500),
      `ECR did not answer DescribeImages for team/api:v1 successfully, even after retries (ServerException): internal. ${temporary}`,
    ],
    [
      'an object with only a 5xx status',
      { $metadata: { httpStatusCode: 502 } },
      `ECR did not answer the request for team/api:v1 successfully, even after retries: an error without a message. ${temporary}`,
    ],
    [
      'an error with neither message nor status',
      Object.assign(new Error(''), { name: 'Weird', $metadata: {} }),
      `The request failed for team/api:v1: Weird. ${checkImage}`,
    ],
    [
      "the SDK's placeholder message and no status",
      Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: {} }),
      `The request failed for team/api:v1: no explanation was given. ${checkImage}`,
    ],
    [
      'a 400 with no message',
      sdkError('Unknown', 'UnknownError', 400),
      `DescribeImages failed for team/api:v1: ECR answered HTTP 400 without an explanation. ${checkImage}`,
    ],
    [
      'a message that starts with the word Unknown',
      sdkError('InvalidParameterException', 'Unknown parameter: maxResults.'),
      'ECR rejected DescribeImages for team/api:v1 (InvalidParameterException): Unknown parameter: maxResults.',
    ],
    [
      'a message that ends with the word Unknown',
      sdkError('InvalidParameterException', 'Invalid scan status filter: Unknown.'),
      'ECR rejected DescribeImages for team/api:v1 (InvalidParameterException): Invalid scan status filter: Unknown.',
    ],
    [
      'a validation error',
      sdkError('ValidationException', 'bad digest'),
      'ECR rejected DescribeImages for team/api:v1 (ValidationException): bad digest.',
    ],
    [
      'an error of another kind',
      sdkError('TooManyTagsException', 'The tag limit has been exceeded', 400, {
        $operation: 'StartImageScan',
      }),
      `StartImageScan failed for team/api:v1 (TooManyTagsException): The tag limit has been exceeded. ${checkImage}`,
    ],
    [
      'an error this action does not know, which keeps its name to be searched for',
      sdkError(
        'KmsAccessDeniedException',
        'The KMS key could not be used to decrypt the image layer',
        400,
        { $operation: 'DescribeImageScanFindings' },
      ),
      `DescribeImageScanFindings failed for team/api:v1 (KmsAccessDeniedException): The KMS key could not be used to decrypt the image layer. ${checkImage}`,
    ],
    [
      'an error whose message already names it',
      sdkError('KmsException', 'KmsException: the key is disabled', 400),
      `DescribeImages failed for team/api:v1: KmsException: the key is disabled. ${checkImage}`,
    ],
    [
      'a bug of the action itself (not an AWS error), still named',
      new TypeError('answer.map is not a function'),
      `The request failed for team/api:v1 (TypeError): answer.map is not a function. ${checkImage}`,
    ],
    [
      'a DNS failure named only in the message',
      Object.assign(new Error('getaddrinfo ENOTFOUND api.ecr.us-east-1.amazonaws.com'), {
        code: 'ENOTFOUND',
      }),
      "The host api.ecr.us-east-1.amazonaws.com could not be found (DNS lookup failed), so the request for team/api:v1 could not be sent. The host is built from the region 'us-east-1': check 'region' (or the region in the image URI) for a typo.",
    ],
    [
      'a DNS failure that names no host',
      Object.assign(new Error('lookup failed'), { name: 'ENOTFOUND' }),
      "The ECR endpoint's host could not be found (DNS lookup failed), so the request for team/api:v1 could not be sent. The host comes from an endpoint setting: check AWS_ENDPOINT_URL_ECR and AWS_ENDPOINT_URL for a typo.",
    ],
    [
      'a thrown string',
      'something odd',
      `The request failed for team/api:v1: something odd. ${checkImage}`,
    ],
    [
      'an empty string',
      '',
      `The request failed for team/api:v1: no explanation was given. ${checkImage}`,
    ],
    ['null', null, `The request failed for team/api:v1: an error without a message. ${checkImage}`],
  ])('says what happened for %s', (_, error, expected) => {
    expect(describeFailure(explainAwsError(error, context))).toBe(expected)
  })

  it('keeps an ActionError as it is, and joins message and hint as two sentences', () => {
    const error = new ActionError('Something was wrong', 'Do this.')
    expect(explainAwsError(error, context)).toBe(error)
    expect(describeFailure(error)).toBe('Something was wrong. Do this.')
  })

  it('ends an unexpected error with one full stop, whether or not its message has one', () => {
    const advice = "Please report it with the step's debug log."
    expect(describeFailure(new Error('boom'))).toBe(`Unexpected error: boom. ${advice}`)
    expect(describeFailure(new Error('The answer could not be parsed.'))).toBe(
      `Unexpected error: The answer could not be parsed. ${advice}`,
    )
    expect(describeFailure(new Error('The answer was cut off...'))).toBe(
      `Unexpected error: The answer was cut off. ${advice}`,
    )
  })

  it('keeps the dots inside an unexpected error', () => {
    expect(describeFailure(new Error('connect ECONNREFUSED 127.0.0.1:443'))).toBe(
      "Unexpected error: connect ECONNREFUSED 127.0.0.1:443. Please report it with the step's debug log.",
    )
  })

  it('never turns a thrown value into JSON', () => {
    expect(errorMessage({ message: 'plain words' })).toBe('plain words')
    expect(errorMessage({ name: 'SomeError' })).toBe('SomeError')
    expect(errorMessage({ a: 1 })).toBe('an error without a message')
    expect(errorMessage(42)).toBe('42')
  })
})

describe('how an error is classified', () => {
  const syntax = (extra: object) =>
    Object.assign(new SyntaxError('Unexpected token < in JSON at position 0'), extra)
  it.each<[string, unknown, { transient?: true; throttling?: true; quota?: true; denied?: true }]>([
    [
      'throttling',
      sdkError('ThrottlingException', 'Rate exceeded'),
      { transient: true, throttling: true },
    ],
    [
      'HTTP 429',
      sdkError('TooManyRequests', 'slow down', 429),
      { transient: true, throttling: true },
    ],
    ['the scan quota', sdkError('LimitExceededException', 'quota'), { quota: true }],
    ['a server error', sdkError('ServerException', 'internal', 500), { transient: true }],
    ['a bare 503', sdkError('Unknown', 'UnknownError', 503), { transient: true }],
    ['a 5xx without a fault', { $metadata: { httpStatusCode: 502 } }, { transient: true }],
    [
      'a reset connection',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      { transient: true },
    ],
    [
      'a timeout',
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      { transient: true },
    ],
    ['an answer that is not JSON', syntax({ $response: { statusCode: 200 } }), { transient: true }],
    ['a SyntaxError of our own', syntax({}), {}],
    [
      'a host that does not resolve',
      Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }),
      {},
    ],
    ['ECR access denied', sdkError('AccessDeniedException', 'no', 403), { denied: true }],
    ['S3-style access denied', sdkError('AccessDenied', 'no', 403), { denied: true }],
    ['a missing repository', sdkError('RepositoryNotFoundException', 'none'), {}],
    ['a 4xx', sdkError('Unknown', 'UnknownError', 404), {}],
    ['a string', 'odd', {}],
    ['null', null, {}],
    ['undefined', undefined, {}],
  ])('%s', (_, error, expected) => {
    expect({
      transient: isTransient(error),
      throttling: isThrottling(error),
      quota: isQuotaError(error),
      denied: isAccessDenied(error),
    }).toEqual({
      transient: expected.transient ?? false,
      throttling: expected.throttling ?? false,
      quota: expected.quota ?? false,
      denied: expected.denied ?? false,
    })
  })
})

describe('the causes kept for the debug log', () => {
  it.each(thrown.filter(([, error]) => error !== undefined))(
    'keeps what AWS answered as the cause: %s',
    (_, error) => {
      expect(explainAwsError(error, context).cause).toBe(error)
    },
  )

  it('lets an ActionError carry a cause (ES2022)', () => {
    const cause = new Error('under it')
    expect(new ActionError('on top', 'Do this.', { cause }).cause).toBe(cause)
    expect(new ActionError('on top').cause).toBeUndefined()
  })

  it('prints the stack, then each cause with its name, message and AWS request ID', () => {
    const aws = sdkError(
      'AccessDeniedException',
      'User: arn:aws:sts::1:assumed-role/x is not authorized',
    )
    const details = errorDetails(explainAwsError(aws, context))
    const [first, ...rest] = details.split('\n')
    expect(first).toMatch(/^ActionError: AWS refused DescribeImages for team\/api:v1/)
    expect(rest[0]).toMatch(/^ {4}at /)
    const cause = details.slice(details.indexOf('Caused by: '))
    expect(cause).toMatch(
      /^Caused by: AccessDeniedException: User: arn:aws:sts::1:assumed-role\/x is not authorized\n {4}at /,
    )
    expect(cause).toContain('\n    (AWS request ID b1c2d3e4, HTTP 400, 3 attempts)')
  })

  it('prints what has no stack by its name and message, and stops at a cycle', () => {
    const plain = {
      name: 'ScanNotFoundException',
      message: 'no scan',
      $metadata: { requestId: 'r-1' },
    }
    expect(errorDetails(plain)).toBe('ScanNotFoundException: no scan\n    (AWS request ID r-1)')
    expect(errorDetails('something odd')).toBe('something odd')
    const noRequestId = { name: 'ServerException', message: 'internal', $metadata: { attempts: 1 } }
    expect(errorDetails(noRequestId)).toBe('ServerException: internal\n    (1 attempt)')
    const a: { name: string; message: string; cause?: unknown } = { name: 'A', message: 'a' }
    a.cause = { name: 'B', message: 'b', cause: a }
    expect(errorDetails(a)).toBe('A: a\nCaused by: B: b')
  })

  it('names a bad input by its class in the stack', () => {
    const error = new InputError('wait', "Input 'wait' is 'yes'; accepted values: true, false.")
    expect(errorDetails(error).split('\n')[0]).toBe(
      "InputError: Input 'wait' is 'yes'; accepted values: true, false.",
    )
  })

  it('prints five errors of a long chain of causes, and no more', () => {
    const chain = ['F', 'E', 'D', 'C', 'B', 'A'].reduce<unknown>(
      (cause, name) => ({ name, message: `${name.toLowerCase()} failed`, cause }),
      undefined,
    )
    expect(errorDetails(chain)).toBe(
      'A: a failed\nCaused by: B: b failed\nCaused by: C: c failed\nCaused by: D: d failed\nCaused by: E: e failed',
    )
  })

  it('prints a thrown object by its message alone when its name is no word', () => {
    expect(errorDetails({ name: '', message: 'socket closed' })).toBe('socket closed')
    expect(errorDetails({ name: 503, message: 'Service Unavailable' })).toBe('Service Unavailable')
  })

  it('prints an error whose $metadata is null without AWS details', () => {
    expect(errorDetails({ name: 'ServerException', message: 'internal', $metadata: null })).toBe(
      'ServerException: internal',
    )
  })

  it('maps each stack it prints', () => {
    const error = new Error('outer', { cause: new Error('inner') })
    const details = errorDetails(error, (stack) => stack.replace(/ {4}at [^\n]*/g, '    at mapped'))
    expect(details).not.toMatch(/ {4}at (?!mapped)/)
    expect(details.match(/ {4}at mapped/g)?.length).toBeGreaterThan(1)
  })
})

describe("ECR's repository filters", () => {
  // The table in the ECR User Guide, "Image scanning", Using filters: filters down, names across.
  const names = ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo']
  const table: Record<string, boolean[]> = {
    prod: [true, true, true, true, true],
    '*prod': [true, true, false, false, false],
    'prod*': [true, false, true, false, true],
    '*prod*': [true, true, true, true, true],
    'prod*repo': [false, false, true, false, true],
  }
  it.each(Object.entries(table))('%s', (filter, expected) => {
    expect(names.map((name) => repositoryFilterMatches(filter, name))).toEqual(expected)
  })

  it('treats the dots and slashes of a name literally', () => {
    expect(repositoryFilterMatches('team/*', 'team/api')).toBe(true)
    expect(repositoryFilterMatches('team/*', 'teamx/api')).toBe(false)
    expect(repositoryFilterMatches('a.b*', 'axb')).toBe(false)
    expect(repositoryFilterMatches('*', 'anything/at/all')).toBe(true)
  })
})
