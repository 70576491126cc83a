// The SARIF file against the SARIF 2.1.0 JSON schema (vendored from @microsoft/jest-sarif, MIT:
// __fixtures__/sarif-schema-2.1.0.json, the rtm.5 schema that GitHub's code scanning uses).
import { describe, expect, it } from '@jest/globals'
import AjvDraft04 from 'ajv-draft-04'
import ajvFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import type { Log } from 'sarif'
import { completedResult, finding } from '../__fixtures__/results.js'
import { applyIgnoreRules } from '../src/ignore.js'
import { findingLine, sarifLocation, securitySeverity, toSarif } from '../src/report/sarif.js'

const schema = JSON.parse(readFileSync('__fixtures__/sarif-schema-2.1.0.json', 'utf8')) as object
// CommonJS packages: their default export is the module object, which holds the class as `default`.
// unicodeRegExp off: the schema has a pattern (for `language`) that only non-unicode regexps accept.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false })
ajvFormats.default(ajv)
const validate = ajv.compile(schema)

function expectValid(log: Log): void {
  const valid = validate(JSON.parse(JSON.stringify(log)))
  expect(validate.errors ?? []).toEqual([])
  expect(valid).toBe(true)
}

const openssl = finding('CVE-2024-0001', 'CRITICAL', {
  title: 'CVE-2024-0001 - openssl',
  description: 'A flaw in openssl.',
  uri: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001',
  packageName: 'openssl',
  packageVersion: '3.0.1',
  fixedInVersion: '3.0.2',
  score: 9.8,
  fixAvailable: 'YES',
})
const zlib = finding('CVE-2023-0002', 'MEDIUM', { packageName: 'zlib', packageVersion: '1.2' })
const libssl = finding('CVE-2024-0001', 'HIGH', { packageName: 'libssl3', score: 7.5 })

describe('toSarif', () => {
  it('uses a validator that rejects invalid SARIF', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false)
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false)
  })

  it('is valid SARIF 2.1.0, with one rule per vulnerability and one result per finding', () => {
    const log = toSarif([completedResult([openssl, zlib, libssl])], {
      location: 'Dockerfile',
      informationUri: 'https://github.com/owner/ecr-image-scan',
    })
    expectValid(log)
    const run = log.runs[0]!
    expect(run.tool.driver.rules?.map((rule) => rule.id)).toEqual([
      'CVE-2023-0002',
      'CVE-2024-0001',
    ])
    expect(run.results).toHaveLength(3)
    for (const result of run.results ?? []) {
      expect(run.tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId)
      expect(result.locations?.[0]?.physicalLocation).toEqual({
        artifactLocation: { uri: 'Dockerfile' },
        region: { startLine: 1 },
      })
    }
  })

  it('keeps rule IDs and fingerprints stable across runs, digests and finding order', () => {
    const first = toSarif([completedResult([openssl, zlib])], { location: 'Dockerfile' })
    const second = toSarif(
      [
        completedResult([zlib, openssl], {
          image: {
            registryId: '123456789012',
            repositoryName: 'team/api',
            imageDigest: `sha256:${'e'.repeat(64)}`,
          },
        }),
      ],
      { location: 'Dockerfile' },
    )
    const ids = (log: Log) => log.runs[0]!.tool.driver.rules?.map((rule) => rule.id)
    const prints = (log: Log) =>
      log.runs[0]!.results?.map((result) => [result.ruleId, result.partialFingerprints])
    expect(ids(second)).toEqual(ids(first))
    expect(prints(second)).toEqual(prints(first))
    // Two packages of one vulnerability are two alerts.
    const both = toSarif([completedResult([openssl, libssl])], { location: 'Dockerfile' })
    const fingerprints = both.runs[0]!.results!.map((r) => r.partialFingerprints)
    expect(new Set(fingerprints.map((f) => JSON.stringify(f))).size).toBe(2)
  })

  it('maps severities to levels and security-severity, and puts the fixed version in the help', () => {
    const log = toSarif([completedResult([openssl, zlib, libssl])], { location: 'Dockerfile' })
    const run = log.runs[0]!
    const rule = run.tool.driver.rules!.find((r) => r.id === 'CVE-2024-0001')!
    expect(rule.properties?.['security-severity']).toBe('9.8') // the worst of the two
    expect(rule.defaultConfiguration?.level).toBe('error')
    expect(rule.helpUri).toBe('https://nvd.nist.gov/vuln/detail/CVE-2024-0001')
    expect(rule.help?.text).toContain('- openssl 3.0.1: fixed in 3.0.2')
    expect(rule.help?.text).toContain('- libssl3: no fixed version known')
    expect(rule.properties?.tags).toContain('security')
    expect(run.results!.map((r) => [r.ruleId, r.level])).toEqual([
      ['CVE-2023-0002', 'warning'],
      ['CVE-2024-0001', 'error'],
      ['CVE-2024-0001', 'error'],
    ])
    expect(run.results![1]!.message.text).toBe(
      `CVE-2024-0001 (CRITICAL) in openssl 3.0.1, fixed in 3.0.2 in image team/api:v1@sha256:${'d'.repeat(64)}`,
    )
  })

  it('keeps security-severity in the band of ECR severity', () => {
    expect(securitySeverity('CRITICAL', 9.8)).toBe('9.8')
    expect(securitySeverity('CRITICAL', 7.5)).toBe('9.5') // vendor says critical: GitHub too
    expect(securitySeverity('HIGH', 9.8)).toBe('8.0')
    expect(securitySeverity('HIGH', 8.95)).toBe('8.9')
    expect(securitySeverity('MEDIUM')).toBe('5.5')
    expect(securitySeverity('LOW', 3)).toBe('3.0')
    expect(securitySeverity('INFORMATIONAL', 1)).toBeUndefined()
    expect(securitySeverity('UNDEFINED')).toBeUndefined()
  })

  it('leaves out ignored findings and notes images whose findings are missing', () => {
    const ignored = applyIgnoreRules(completedResult([openssl, zlib]), [
      { id: 'CVE-2024-0001', source: 's' },
    ])
    const failed = completedResult([], { findings: undefined, scanStatus: 'FAILED' })
    const log = toSarif([ignored, failed], { location: 'Dockerfile' })
    expectValid(log)
    expect(log.runs[0]!.results!.map((r) => r.ruleId)).toEqual(['CVE-2023-0002'])
    expect(log.runs[0]!.invocations?.[0]).toMatchObject({ executionSuccessful: false })
    expect(log.runs[0]!.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toContain(
      'scan status FAILED',
    )
  })

  it('stays valid with hostile text and without any finding', () => {
    const hostile = finding('CVE-1', 'UNTRIAGED', {
      uri: 'javascript:alert(1)',
      description: '<script>\u0000',
      packageName: 'a\nb',
    })
    const log = toSarif([completedResult([hostile])], { location: 'Dockerfile' })
    expectValid(log)
    expect(log.runs[0]!.tool.driver.rules![0]!.helpUri).toBeUndefined()
    expect(log.runs[0]!.results![0]!.level).toBe('note')
    expectValid(toSarif([completedResult([])], { location: 'Dockerfile' }))
  })
})

describe('findingLine', () => {
  it('is one line with ID, severity, package, installed and fixed version', () => {
    expect(findingLine(openssl)).toBe('CVE-2024-0001 (CRITICAL) in openssl 3.0.1, fixed in 3.0.2')
    expect(findingLine({ ...zlib, fixAvailable: 'NO' })).toBe(
      'CVE-2023-0002 (MEDIUM) in zlib 1.2, no fix available',
    )
    expect(findingLine(finding('CVE-3', 'LOW', { packageName: 'x\ny' }))).not.toContain('\n')
  })
})

describe('sarifLocation', () => {
  const env = {
    GITHUB_WORKSPACE: '/w',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/build.yml@refs/pull/7/merge',
  }

  it('prefers the dockerfile input, then ./Dockerfile, then the workflow file', () => {
    expect(sarifLocation('docker/api.Dockerfile', env, () => true)).toBe('docker/api.Dockerfile')
    expect(sarifLocation(undefined, env, (path) => path === '/w/Dockerfile')).toBe('Dockerfile')
    expect(sarifLocation(undefined, env, () => false)).toBe('.github/workflows/build.yml')
    expect(sarifLocation(undefined, {}, () => false)).toBe('Dockerfile')
  })
})
