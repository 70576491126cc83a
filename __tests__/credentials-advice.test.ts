// Missing AWS credentials: a runner's user adds a workflow step, a shell's user signs in.
import { afterEach, describe, expect, it } from '@jest/globals'
import { describeFailure } from '../src/kernel/errors.js'
import { explainAwsError } from '../src/ecr/errors.js'

const context = { image: 'team/api:v1', repositoryName: 'team/api', region: 'us-east-1' }
// As @smithy/property-provider throws it when no provider of the chain found any.
const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
  name: 'CredentialsProviderError',
  tryNextLink: false,
  $operation: 'DescribeImages',
})

describe('the advice when no AWS credentials were found', () => {
  afterEach(() => {
    delete process.env.GITHUB_ACTIONS
  })

  it("on a runner (GITHUB_ACTIONS=true) is the workflow's: configure-aws-credentials", () => {
    process.env.GITHUB_ACTIONS = 'true'
    expect(describeFailure(explainAwsError(noCredentials, context))).toBe(
      'No AWS credentials were found (Could not load credentials from any providers). Add aws-actions/configure-aws-credentials before this step (with OIDC: permissions id-token: write).',
    )
  })

  it.each([undefined, 'false', ''])("in a shell (GITHUB_ACTIONS=%p) is a shell's", (value) => {
    if (value !== undefined) process.env.GITHUB_ACTIONS = value
    const line = describeFailure(explainAwsError(noCredentials, context))
    expect(line).toBe(
      'No AWS credentials were found (Could not load credentials from any providers). Outside GitHub Actions the action takes them from this shell as the AWS CLI does: run aws sso login --profile NAME and set AWS_PROFILE=NAME, or run aws configure, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    )
    expect(line).not.toContain('configure-aws-credentials')
  })
})
