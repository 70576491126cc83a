// Repository patterns and pulled-within, as the inputs read them: the pattern grammar and what
// it matches (a table of examples), the days accepted, and the combinations a step refuses.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/kernel/errors.js'
import type { InputName } from '../src/kernel/names.js'
import { getSettings, resolvedInputs } from '../src/inputs/settings.js'
import { isRepositoryPattern, isValidPattern, repositoryMatcher } from '../src/inputs/pattern.js'
import { parsePulledWithin } from '../src/inputs/pulled-within.js'

const ENV = { AWS_REGION: 'eu-west-1' }

function settingsOf(inputs: Partial<Record<InputName, string>>) {
  return getSettings((name) => inputs[name] ?? '', ENV)
}

function inputErrorOf(inputs: Partial<Record<InputName, string>>): InputError {
  try {
    settingsOf(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('repository patterns', () => {
  // pattern, repository name, matches
  const MATCHES: [string, string, boolean][] = [
    ['team/*', 'team/api', true],
    ['team/*', 'team/api/worker', true], // * crosses /
    ['team/*', 'team', false],
    ['team/*', 'other/team/api', false],
    ['team/*', 'teams/api', false],
    ['*/api', 'team/api', true],
    ['*/api', 'a/b/api', true],
    ['*/api', 'api', false],
    ['*/api', 'team/api-v2', false],
    ['*', 'api', true],
    ['*', 'team/api/worker', true],
    ['team-*', 'team-api', true],
    ['team-*', 'team/api', false],
    ['*api*', 'my-api-gateway', true],
    ['team.a/*', 'team.a/x', true],
    ['team.a/*', 'teamxa/x', false], // . is itself, not any character
    ['team/*/db', 'team/payments/db', true],
    ['team/*/db', 'team/payments/db-replica', false],
  ]
  it.each(MATCHES)("'%s' on '%s' matches: %s", (pattern, name, expected) => {
    expect(isValidPattern(pattern)).toBe(true)
    expect(repositoryMatcher(pattern)(name)).toBe(expected)
  })

  // The grammar is ECR's repository name grammar with * for any letter.
  const VALID: [string, boolean][] = [
    ['team/*', true],
    ['*', true],
    ['**', true],
    ['a__*', true],
    ['a--*', true],
    ['Team/*', false], // upper case: ECR names are lower case
    ['team//*', false],
    ['/*', false],
    ['*/', false],
    ['team/ *', false],
    ['team/*?', false],
    ['team/[a]*', false],
    [`${'a'.repeat(256)}*`, false],
  ]
  it.each(VALID)("'%s' is a valid pattern: %s", (pattern, expected) => {
    expect(isValidPattern(pattern)).toBe(expected)
  })

  it('is a pattern only with a *', () => {
    expect(isRepositoryPattern('team/api')).toBe(false)
    expect(isRepositoryPattern('team/*')).toBe(true)
  })
})

describe('pulled-within', () => {
  const DAYS: [string, number | undefined][] = [
    ['7', 7],
    ['7d', 7],
    ['7D', 7],
    [' 30d ', 30],
    ['1', 1],
    ['365', 365],
    ['366', undefined],
    ['0', undefined],
    ['0d', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['7 days', undefined],
    ['7h', undefined],
    ['d', undefined],
    ['', undefined],
  ]
  it.each(DAYS)("'%s' is %s days", (value, expected) => {
    expect(parsePulledWithin(value)).toBe(expected)
  })
})

describe('a pattern step’s settings', () => {
  it('lists nothing yet and says how to pick images', () => {
    const settings = settingsOf({ repository: 'team/*', 'pulled-within': '7d' })
    expect(settings.images).toEqual([])
    expect(settings.watch).toEqual({
      pattern: 'team/*',
      registryId: undefined,
      region: 'eu-west-1',
      pulledWithinDays: 7,
      imageTags: [],
      imageDigests: [],
    })
    // The default on-limit-exceeded reports a recent scan instead of spending the quota.
    expect(settings.scan.reuseRecentScans).toBe(true)
    expect(resolvedInputs(settings)['pulled-within']).toBe('7 days')
    expect(resolvedInputs(settings).repository).toBe('team/* (a pattern)')
  })

  it('takes tags in each repository, in the named registry', () => {
    const settings = settingsOf({
      repository: '*/api',
      'image-tag': 'production, staging',
      'registry-id': '210987654321',
    })
    expect(settings.watch).toMatchObject({
      pattern: '*/api',
      registryId: '210987654321',
      imageTags: ['production', 'staging'],
      pulledWithinDays: undefined,
    })
  })

  it('starts scans (and fails on the quota) with on-limit-exceeded: fail', () => {
    const settings = settingsOf({
      repository: '*',
      'pulled-within': '1',
      'on-limit-exceeded': 'fail',
    })
    expect(settings.scan.reuseRecentScans).toBeUndefined()
  })

  it('leaves steps that name their images as they were', () => {
    const settings = settingsOf({ repository: 'team/api', 'image-tag': 'v1' })
    expect(settings.watch).toBeUndefined()
    expect(settings.scan.reuseRecentScans).toBeUndefined()
    expect(resolvedInputs(settings)['pulled-within']).toBe('(none)')
  })

  const REFUSED: [string, Partial<Record<InputName, string>>, InputName, RegExp][] = [
    [
      'neither tag nor pulled-within',
      { repository: 'team/*' },
      'pulled-within',
      /give 'pulled-within' \(e\.g\. 7d/,
    ],
    [
      'both',
      { repository: 'team/*', 'pulled-within': '7', 'image-tag': 'v1' },
      'pulled-within',
      /not both/,
    ],
    [
      'pulled-within without a pattern',
      { repository: 'team/api', 'image-tag': 'v1', 'pulled-within': '7' },
      'pulled-within',
      /not a pattern/,
    ],
    [
      'a bad number of days',
      { repository: 'team/*', 'pulled-within': '1w' },
      'pulled-within',
      /'1w'; expected a whole number of days from 1 to 365/,
    ],
    [
      'a bad pattern',
      { repository: 'Team/*', 'pulled-within': '7' },
      'repository',
      /not a repository pattern/,
    ],
    [
      'a bad tag',
      { repository: 'team/*', 'image-tag': 'a b' },
      'image-tag',
      /not a valid image tag/,
    ],
    [
      'a bad registry',
      { repository: 'team/*', 'image-tag': 'v1', 'registry-id': '12' },
      'registry-id',
      /12 digits/,
    ],
    [
      'a baseline URI',
      {
        repository: 'team/*',
        'image-tag': 'v1',
        'compare-to': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1',
      },
      'compare-to',
      /pattern 'team\/\*'/,
    ],
  ]
  it.each(REFUSED)('refuses %s, naming the input', (_, inputs, name, message) => {
    const error = inputErrorOf(inputs)
    expect(error.input).toBe(name)
    expect(error.message).toMatch(message)
  })

  it('compares each image with a tag in its own repository', () => {
    const settings = settingsOf({
      repository: 'team/*',
      'pulled-within': '7',
      'compare-to': 'production',
    })
    expect(settings.scan.compareTo).toEqual({ kind: 'same-repository', imageTag: 'production' })
  })
})
