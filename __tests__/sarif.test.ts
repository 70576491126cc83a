// The SARIF file against the SARIF 2.1.0 JSON schema (vendored from @microsoft/jest-sarif, MIT:
// __fixtures__/sarif-schema-2.1.0.json, the rtm.5 schema that GitHub's code scanning uses).
import { describe, expect, it } from '@jest/globals'
import AjvDraft04 from 'ajv-draft-04'
import ajvFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import type { Log } from 'sarif'
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { DescribeImageScanFindingsResponse } from '@aws-sdk/client-ecr'
import { realAnswer } from '../__fixtures__/realdata.js'
import {
  comparedResult,
  completedResult,
  DIGEST,
  finding,
  reportsOf,
} from '../__fixtures__/results.js'
import { fromBasicFinding } from '../src/ecr/findings.js'
import { applyIgnoreRules } from '../src/facts/ignore.js'
import type { ScanResult } from '../src/kernel/model.js'
import { findingLine } from '../src/report/present.js'
import {
  SARIF_LIMITS,
  fingerprintOf,
  sarifLocation,
  sarifOmissionNote,
  securitySeverity,
  toSarif as toSarifOf,
  type SarifOptions,
} from '../src/report/sarif.js'
import { ACTION_VERSION } from '../src/kernel/version.js'

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

/** The SARIF log of `results`, their reports made as the step makes them. */
const toSarif = (results: ScanResult[], options: SarifOptions) =>
  toSarifOf(reportsOf(results), options)

describe('toSarif', () => {
  it('uses a validator that rejects invalid SARIF', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false)
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false)
  })

  it('is valid SARIF 2.1.0, with one rule per vulnerability and one result per finding', () => {
    const log = toSarif([completedResult([openssl, zlib, libssl])], {
      location: 'Dockerfile',
      informationUri: 'https://github.com/owner/ecr-image-scan',
    }).log
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
    const first = toSarif([completedResult([openssl, zlib])], { location: 'Dockerfile' }).log
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
    ).log
    const ids = (log: Log) => log.runs[0]!.tool.driver.rules?.map((rule) => rule.id)
    const prints = (log: Log) =>
      log.runs[0]!.results?.map((result) => [result.ruleId, result.partialFingerprints])
    expect(ids(second)).toEqual(ids(first))
    expect(prints(second)).toEqual(prints(first))
    // Two packages of one vulnerability are two alerts.
    const both = toSarif([completedResult([openssl, libssl])], { location: 'Dockerfile' }).log
    const fingerprints = both.runs[0]!.results!.map((r) => r.partialFingerprints)
    expect(new Set(fingerprints.map((f) => JSON.stringify(f))).size).toBe(2)
  })

  it('gives each platform, repository and region its own fingerprint, in the key code scanning reads', () => {
    const platform = (name: string, digest: string) =>
      completedResult([openssl], {
        platform: name,
        indexDigest: DIGEST,
        image: { registryId: '123456789012', repositoryName: 'team/api', imageDigest: digest },
      })
    const amd64 = platform('linux/amd64', `sha256:${'1'.repeat(64)}`)
    const arm64 = platform('linux/arm64', `sha256:${'2'.repeat(64)}`)
    const web = completedResult([openssl], {
      target: { repositoryName: 'team/web', imageTag: 'v1' },
      image: { registryId: '123456789012', repositoryName: 'team/web', imageDigest: DIGEST },
    })
    const europe = completedResult([openssl], { region: 'eu-west-1' })
    const log = toSarif([amd64, arm64, web, europe, completedResult([openssl])], {
      location: 'Dockerfile',
    }).log
    const prints = log.runs[0]!.results!.map((r) => r.partialFingerprints?.primaryLocationLineHash)
    expect(prints).toHaveLength(5)
    expect(new Set(prints).size).toBe(5)
    for (const result of log.runs[0]!.results!) {
      // GitHub reads no other key, and writes this one in the same form.
      expect(Object.keys(result.partialFingerprints ?? {})).toEqual(['primaryLocationLineHash'])
      expect(result.partialFingerprints?.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/)
    }
    expect(log.runs[0]!.results!.map((r) => r.properties?.platform)).toContain('linux/arm64')
    expect(log.runs[0]!.results!.map((r) => r.message.text)).toContain(
      `CVE-2024-0001 (CRITICAL) in openssl 3.0.1, fixed in 3.0.2 in image team/api:v1@sha256:${'2'.repeat(64)} (linux/arm64)`,
    )
    // A new build of the same platform (another digest, another tag) keeps its alerts.
    const rebuilt = platform('linux/arm64', `sha256:${'3'.repeat(64)}`)
    rebuilt.target = { repositoryName: 'team/api', imageTag: 'v2' }
    expect(fingerprintOf(openssl, rebuilt)).toBe(fingerprintOf(openssl, arm64))
    expect(fingerprintOf({ ...openssl, packageVersion: '3.0.5' }, arm64)).toBe(
      fingerprintOf(openssl, arm64),
    )
  })

  it('names the category by the requested repositories: stable, without tag or digest', () => {
    const id = (results: ScanResult[]) =>
      toSarif(results, { location: 'Dockerfile' }).log.runs[0]!.automationDetails?.id
    const api = completedResult([openssl])
    expect(id([api])).toBe('ecr-image-scan/us-east-1/team/api/')
    const rebuilt = completedResult([zlib], {
      target: {
        repositoryName: 'team/api',
        imageTag: 'v2',
        imageDigest: `sha256:${'e'.repeat(64)}`,
      },
      image: {
        registryId: '123456789012',
        repositoryName: 'team/api',
        imageDigest: `sha256:${'e'.repeat(64)}`,
      },
    })
    expect(id([rebuilt])).toBe(id([api]))
    const failed = completedResult([], {
      findings: undefined,
      image: undefined,
      scanStatus: 'FAILED',
    })
    expect(id([failed])).toBe(id([api]))
    const other = completedResult([openssl], {
      target: { registryId: '210987654321', repositoryName: 'team/web', imageTag: 'v1' },
    })
    expect(id([other])).toBe('ecr-image-scan/us-east-1/210987654321/team/web/')
    // Several repositories in one step: one id for the set, the same in any order.
    const both = id([api, other])
    expect(both).toMatch(
      /^ecr-image-scan\/us-east-1\/210987654321\/team\/web\+1-more-[0-9a-f]{12}\/$/,
    )
    expect(id([other, rebuilt])).toBe(both)
    expect(id([other, api, failed])).toBe(both)
    for (const value of [id([api]), id([other]), both]) {
      expect(value).not.toMatch(/v1|v2|sha256/)
      expect(value?.endsWith('/')).toBe(true) // the category is everything before the last '/'
    }
  })

  it('stays under 25,000 results, leaving out the least severe first', () => {
    expect(SARIF_LIMITS).toEqual({
      resultsPerRun: 25_000,
      locationsPerResult: 1_000,
      gzipBytes: 10_000_000,
    })
    const words = ['LOW', 'CRITICAL', 'INFORMATIONAL', 'MEDIUM', 'HIGH', 'UNTRIAGED']
    const list = Array.from({ length: 30_000 }, (_, i) =>
      finding(`CVE-2024-${i}`, words[i % 6]!, { packageName: `pkg${i % 50}` }),
    )
    const { log, omitted } = toSarif([completedResult(list)], { location: 'Dockerfile' })
    const results = log.runs[0]!.results!
    expect(results).toHaveLength(SARIF_LIMITS.resultsPerRun)
    expect(omitted).toEqual({
      omitted: 5_000,
      total: 30_000,
      bySeverity: { UNDEFINED: 5_000 },
      limit: 'results',
    })
    expect(results.some((r) => r.properties?.severity === 'UNTRIAGED')).toBe(false)
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(25_000)
    const rules = log.runs[0]!.tool.driver.rules!
    expect(
      results.every(
        (r) =>
          r.locations!.length <= SARIF_LIMITS.locationsPerResult &&
          rules[r.ruleIndex!]!.id === r.ruleId,
      ),
    ).toBe(true)
    expect(gzipSync(JSON.stringify(log)).length).toBeLessThan(SARIF_LIMITS.gzipBytes)
    expect(sarifOmissionNote(omitted)).toBe(
      "\n> [!WARNING]\n> The SARIF file leaves out 5000 of 30000 results, the least severe (5000 UNDEFINED), to stay under code scanning's limit of 25,000 results per run. The findings-file output has every finding.\n",
    )
  })

  it('stays under the compressed size, leaving out the least severe first', () => {
    // Incompressible package names make the size, not the count, the limit.
    const list = Array.from({ length: 400 }, (_, i) =>
      finding(`CVE-2024-${i}`, i < 100 ? 'HIGH' : 'LOW', {
        packageName: randomBytes(300).toString('base64'),
      }),
    )
    const limit = 100_000
    const { log, omitted } = toSarif([completedResult(list)], {
      location: 'Dockerfile',
      maxGzipBytes: limit,
    })
    expectValid(log)
    const size = gzipSync(JSON.stringify(log)).length
    expect(size).toBeLessThanOrEqual(limit)
    expect(size).toBeGreaterThan(limit * 0.8) // not far more than needed was dropped
    const kept = log.runs[0]!.results!
    expect(kept.filter((r) => r.level === 'error')).toHaveLength(100) // every HIGH stays
    expect(omitted).toMatchObject({ total: 400, limit: 'size' })
    expect(omitted!.omitted).toBe(400 - kept.length)
    expect(omitted!.bySeverity).toEqual({ LOW: 400 - kept.length })
    expect(sarifOmissionNote(omitted)).toContain('limit of 10 MB per file, gzip-compressed')
    const notes = log.runs[0]!.invocations![0]!.toolExecutionNotifications!
    expect(notes.at(-1)?.message.text).toMatch(
      new RegExp(`^${400 - kept.length} of 400 results, the least severe, are left out`),
    )
    // Within the limits nothing is left out and the summary says nothing.
    const small = toSarif([completedResult(list.slice(0, 5))], { location: 'Dockerfile' })
    expect(small.omitted).toBeUndefined()
    expect(sarifOmissionNote(small.omitted)).toBe('')
    const smallNotes = small.log.runs[0]!.invocations![0]!.toolExecutionNotifications ?? []
    expect(smallNotes.map((note) => note.message.text).join()).not.toContain('left out')
  })

  it('keeps every result of a file exactly at the compressed size', () => {
    const list = Array.from({ length: 50 }, (_, i) =>
      finding(`CVE-2024-${i}`, 'HIGH', { packageName: randomBytes(300).toString('base64') }),
    )
    const whole = toSarif([completedResult(list)], { location: 'Dockerfile' })
    const size = gzipSync(JSON.stringify(whole.log)).length
    const { log, omitted } = toSarif([completedResult(list)], {
      location: 'Dockerfile',
      maxGzipBytes: size,
    })
    expect(omitted).toBeUndefined()
    expect(log.runs[0]!.results).toHaveLength(50)
    expect(gzipSync(JSON.stringify(log)).length).toBe(size)
  })

  it('ends with no results at all when not even one fits', () => {
    const list = [finding('CVE-1', 'HIGH'), finding('CVE-2', 'LOW')]
    const { log, omitted } = toSarif([completedResult(list)], {
      location: 'Dockerfile',
      maxGzipBytes: 10,
    })
    expect(log.runs[0]!.results).toEqual([])
    expect(omitted).toMatchObject({ omitted: 2, total: 2, limit: 'size' })
  })

  it('keeps descriptions within the 1,024 characters code scanning takes', () => {
    const long = finding('CVE-1', 'HIGH', {
      title: 't'.repeat(5000),
      description: 'd'.repeat(5000),
    })
    const rule = toSarif([completedResult([long])], { location: 'Dockerfile' }).log.runs[0]!.tool
      .driver.rules![0]!
    expect(rule.shortDescription!.text.length).toBeLessThanOrEqual(1024)
    expect(rule.fullDescription!.text.length).toBeLessThanOrEqual(1024)
  })

  it('maps severities to levels and security-severity, and puts the fixed version in the help', () => {
    const log = toSarif([completedResult([openssl, zlib, libssl])], { location: 'Dockerfile' }).log
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
    // The edges of a band are in it.
    expect(securitySeverity('HIGH', 7.0)).toBe('7.0')
    expect(securitySeverity('HIGH', 8.9)).toBe('8.9')
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
    const log = toSarif([ignored, failed], { location: 'Dockerfile' }).log
    expectValid(log)
    expect(log.runs[0]!.results!.map((r) => r.ruleId)).toEqual(['CVE-2023-0002'])
    expect(log.runs[0]!.invocations?.[0]).toMatchObject({ executionSuccessful: false })
    expect(log.runs[0]!.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toContain(
      'scan status FAILED',
    )
  })

  it('says the scan status is unknown for an image whose findings are missing and that has no scan', () => {
    const noScan = completedResult([], {
      target: { repositoryName: 'team/web', imageTag: 'v2' },
      scanStatus: undefined,
      scanStatusDescription: undefined,
      findings: undefined,
    })
    const log = toSarif([completedResult([zlib]), noScan], { location: 'Dockerfile' }).log
    expectValid(log)
    expect(
      log.runs[0]!.invocations![0]!.toolExecutionNotifications!.map((note) => note.message.text),
    ).toEqual([
      'The findings of team/web:v2 could not be read (scan status unknown); they are missing from this file.',
    ])
  })

  it('says of each result whether the baseline of compare-to has it (baselineState)', () => {
    const log = toSarif([comparedResult([openssl, zlib, libssl], [zlib])], {
      location: 'Dockerfile',
    }).log
    expectValid(log)
    const states = log.runs[0]!.results!.map((r) => [r.properties?.packageName, r.baselineState])
    expect(states).toEqual([
      ['zlib', 'unchanged'],
      ['openssl', 'new'],
      ['libssl3', 'new'],
    ])
    // The schema holds the states to SARIF's four words.
    const run = log.runs[0]!
    const wrong = { ...run, results: [{ ...run.results![0]!, baselineState: 'fixed' }] }
    expect(validate({ ...log, runs: [wrong] })).toBe(false)
  })

  it('leaves baselineState out where no comparison was made', () => {
    const missing = completedResult([openssl], {
      baseline: { label: 'team/api:production', outcome: 'not-scanned', reason: 'no scan' },
    })
    const log = toSarif([completedResult([zlib]), missing], { location: 'Dockerfile' }).log
    expectValid(log)
    expect(log.runs[0]!.results!.map((r) => 'baselineState' in r)).toEqual([false, false])
  })

  it('tags a rule with a known exploit exploit-available', () => {
    const exploited = { ...libssl, exploitAvailable: 'YES' }
    const log = toSarif(
      [completedResult([openssl, exploited, { ...zlib, exploitAvailable: 'NO' }])],
      { location: 'Dockerfile' },
    ).log
    expectValid(log)
    const tags = Object.fromEntries(
      log.runs[0]!.tool.driver.rules!.map((rule) => [rule.id, rule.properties?.tags]),
    )
    expect(tags).toEqual({
      'CVE-2023-0002': ['security', 'vulnerability', 'container'],
      // One of its two findings has a known exploit: the rule has.
      'CVE-2024-0001': ['security', 'vulnerability', 'container', 'exploit-available'],
    })
  })

  it('stays valid with hostile text and without any finding', () => {
    const hostile = finding('CVE-1', 'UNTRIAGED', {
      uri: 'javascript:alert(1)',
      description: '<script>\u0000',
      packageName: 'a\nb',
    })
    const log = toSarif([completedResult([hostile])], { location: 'Dockerfile' }).log
    expectValid(log)
    expect(log.runs[0]!.tool.driver.rules![0]!.helpUri).toBeUndefined()
    expect(log.runs[0]!.results![0]!.level).toBe('note')
    expectValid(toSarif([completedResult([])], { location: 'Dockerfile' }).log)
  })
})

describe('findingLine', () => {
  it('is one line with ID, severity, package, installed and fixed version', () => {
    expect(findingLine(openssl)).toBe('CVE-2024-0001 (CRITICAL) in openssl 3.0.1, fixed in 3.0.2')
    expect(findingLine({ ...zlib, fixAvailable: 'NO' })).toBe(
      'CVE-2023-0002 (MEDIUM) in zlib 1.2, no fix available',
    )
    expect(findingLine(finding('CVE-3', 'LOW', { packageName: 'x\ny' }))).not.toContain('\n')
    // A package whose version ECR did not give: the name alone.
    expect(findingLine(finding('CVE-4', 'HIGH', { packageName: 'libssl3' }))).toBe(
      'CVE-4 (HIGH) in libssl3, fixed version not known',
    )
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

  it('takes the workflow file only from a workflow of the repository, and never an empty path', () => {
    const none = () => false
    const ref = (value: string) => ({ ...env, GITHUB_WORKFLOW_REF: value })
    expect(
      sarifLocation(undefined, ref('octo/app-tools/.github/workflows/x.yml@refs/heads/main'), none),
    ).toBe('Dockerfile')
    expect(sarifLocation(undefined, ref('octo/app/@refs/heads/main'), none)).toBe('Dockerfile')
  })

  it('cuts the ref off the workflow file at its refs/, whatever @ the branch or the file name holds', () => {
    const none = () => false
    const ref = (value: string) => ({ ...env, GITHUB_WORKFLOW_REF: value })
    expect(
      sarifLocation(
        undefined,
        ref('octo/app/.github/workflows/build.yml@refs/heads/release@2'),
        none,
      ),
    ).toBe('.github/workflows/build.yml')
    expect(
      sarifLocation(undefined, ref('octo/app/.github/workflows/a@b.yml@refs/heads/main'), none),
    ).toBe('.github/workflows/a@b.yml')
  })
})

describe('the SARIF file, whole', () => {
  const location = {
    physicalLocation: { artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 1 } },
  }

  it('of a real basic finding: its rule, with the advisory, and its result', () => {
    const answer = realAnswer<DescribeImageScanFindingsResponse>(
      'findings/basic-clair-ubuntu-complete-aws-example.json',
    )
    const read = fromBasicFinding(answer.imageScanFindings!.findings![0]!)
    const description =
      'A code execution vulnerability exists in the directory rehashing functionality of E2fsprogs e2fsck 1.45.4. A specially crafted ext4 directory can cause an out-of-bounds write on the stack, resulting in code execution. An attacker can corrupt a partition to trigger this vulnerability.'
    const advisory = 'http://people.ubuntu.com/~ubuntu-security/cve/CVE-2019-5188'
    const help = [
      'CVE-2019-5188: MEDIUM (score 4.6).',
      description,
      'Affected packages:',
      '- e2fsprogs 1.44.1-1ubuntu1.1: no fixed version known',
      'Upgrade each package to its fixed version (or later) and rebuild the image.',
      `Advisory: ${advisory}`,
    ]
    const log = toSarif([completedResult([read])], {
      location: 'Dockerfile',
      informationUri: 'https://github.com/owner/ecr-image-scan',
    }).log
    expectValid(log)
    expect(log).toEqual({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'ecr-image-scan',
              semanticVersion: ACTION_VERSION,
              informationUri: 'https://github.com/owner/ecr-image-scan',
              rules: [
                {
                  id: 'CVE-2019-5188',
                  shortDescription: { text: 'CVE-2019-5188 (MEDIUM)' },
                  fullDescription: { text: description },
                  helpUri: advisory,
                  help: { text: help.join('\n'), markdown: help.join('\n\n') },
                  defaultConfiguration: { level: 'warning' },
                  properties: {
                    tags: ['security', 'vulnerability', 'container'],
                    'security-severity': '4.6',
                  },
                },
              ],
            },
          },
          automationDetails: { id: 'ecr-image-scan/us-east-1/team/api/' },
          invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
          results: [
            {
              ruleId: 'CVE-2019-5188',
              ruleIndex: 0,
              level: 'warning',
              message: {
                text: `CVE-2019-5188 (MEDIUM) in e2fsprogs 1.44.1-1ubuntu1.1, fixed version not known in image team/api:v1@${DIGEST}`,
              },
              locations: [location],
              partialFingerprints: { primaryLocationLineHash: '8282517285669b93:1' },
              properties: {
                repositoryName: 'team/api',
                imageDigest: DIGEST,
                imageTag: 'v1',
                severity: 'MEDIUM',
                packageName: 'e2fsprogs',
                packageVersion: '1.44.1-1ubuntu1.1',
              },
            },
          ],
        },
      ],
    })
  })

  it('of a finding with a fixed version, and of one with nothing but its ID and severity', () => {
    const bare = finding('CVE-2024-9', 'LOW')
    const run = toSarif([completedResult([openssl, bare])], { location: 'Dockerfile' }).log.runs[0]!
    expect(run.tool.driver).not.toHaveProperty('informationUri')
    const opensslHelp = [
      'CVE-2024-0001: CRITICAL (score 9.8).',
      'A flaw in openssl.',
      'Affected packages:',
      '- openssl 3.0.1: fixed in 3.0.2',
      'Upgrade each package to its fixed version (or later) and rebuild the image.',
      'Advisory: https://nvd.nist.gov/vuln/detail/CVE-2024-0001',
    ]
    const bareHelp = [
      'CVE-2024-9: LOW.',
      'Affected packages:',
      '- unknown package: no fixed version known',
      'Upgrade each package to its fixed version (or later) and rebuild the image.',
    ]
    expect(run.tool.driver.rules).toEqual([
      {
        id: 'CVE-2024-0001',
        shortDescription: { text: 'CVE-2024-0001 - openssl' },
        fullDescription: { text: 'A flaw in openssl.' },
        helpUri: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001',
        help: { text: opensslHelp.join('\n'), markdown: opensslHelp.join('\n\n') },
        defaultConfiguration: { level: 'error' },
        properties: {
          tags: ['security', 'vulnerability', 'container'],
          'security-severity': '9.8',
        },
      },
      {
        id: 'CVE-2024-9',
        shortDescription: { text: 'CVE-2024-9 (LOW)' },
        fullDescription: { text: 'CVE-2024-9 (LOW)' },
        help: { text: bareHelp.join('\n'), markdown: bareHelp.join('\n\n') },
        defaultConfiguration: { level: 'note' },
        properties: {
          tags: ['security', 'vulnerability', 'container'],
          'security-severity': '2.0',
        },
      },
    ])
    expect(run.results!.map((result) => result.properties)).toEqual([
      {
        repositoryName: 'team/api',
        imageDigest: DIGEST,
        imageTag: 'v1',
        severity: 'CRITICAL',
        packageName: 'openssl',
        packageVersion: '3.0.1',
        fixedInVersion: '3.0.2',
      },
      { repositoryName: 'team/api', imageDigest: DIGEST, imageTag: 'v1', severity: 'LOW' },
    ])
  })

  it('lists at most 50 packages in a rule, and every one of them once', () => {
    const list = Array.from({ length: 60 }, (_, i) =>
      finding('CVE-2024-7', 'HIGH', { packageName: `pkg${i}` }),
    )
    const rule = toSarif([completedResult([...list, list[0]!])], { location: 'Dockerfile' }).log
      .runs[0]!.tool.driver.rules![0]!
    const listed = rule.help!.text.split('\n').filter((line) => line.startsWith('- '))
    expect(listed).toEqual(
      list.slice(0, 50).map((f) => `- ${f.packageName}: no fixed version known`),
    )
  })
})

describe('the advisory link of a rule', () => {
  const helpUriOf = (uri: string) =>
    toSarif([completedResult([{ ...openssl, uri }])], { location: 'Dockerfile' }).log.runs[0]!.tool
      .driver.rules![0]!.helpUri

  it('is an http or https URL alone, of at most 2,000 characters', () => {
    expect(helpUriOf('http://people.ubuntu.com/~ubuntu-security/cve/CVE-2019-5188')).toBe(
      'http://people.ubuntu.com/~ubuntu-security/cve/CVE-2019-5188',
    )
    expect(helpUriOf('see https://nvd.nist.gov/vuln/detail/CVE-2024-0001')).toBeUndefined()
    expect(helpUriOf('https://nvd.nist.gov/vuln/detail/CVE-2024-0001 and more')).toBeUndefined()
    const long = `https://example.com/${'a'.repeat(2000 - 20)}`
    expect(long).toHaveLength(2000)
    expect(helpUriOf(long)).toBe(long)
    expect(helpUriOf(`${long}a`)).toBeUndefined()
  })
})

describe('the descriptions of a rule', () => {
  const ruleOf = (title: string) =>
    toSarif([completedResult([{ ...openssl, title, description: undefined }])], {
      location: 'Dockerfile',
    }).log.runs[0]!.tool.driver.rules![0]!

  it('are whole at 1,024 characters, and cut to 1,023 and an ellipsis beyond', () => {
    const exact = 't'.repeat(1024)
    expect(ruleOf(exact).shortDescription).toEqual({ text: exact })
    expect(ruleOf(exact).fullDescription).toEqual({ text: exact })
    expect(ruleOf(`${exact}u`).shortDescription).toEqual({ text: `${'t'.repeat(1023)}…` })
  })
})

describe('the identities code scanning keeps from run to run', () => {
  const web = completedResult([openssl], {
    target: { registryId: '210987654321', repositoryName: 'team/web', imageTag: 'v1' },
    image: { registryId: '210987654321', repositoryName: 'team/web', imageDigest: DIGEST },
  })

  it('are a hash of region, registry, repository, platform, ID and package, unchanged from version to version', () => {
    const api = completedResult([openssl])
    const arm64 = completedResult([openssl], { platform: 'linux/arm64', indexDigest: DIGEST })
    expect(fingerprintOf(openssl, api)).toBe('886996e46c0bb701:1')
    expect(fingerprintOf(openssl, arm64)).toBe('972875c00c9eb5aa:1')
    expect(fingerprintOf(finding('CVE-2024-9', 'LOW'), api)).toBe('e1cb1bd8bf5461d4:1')
    expect(fingerprintOf(openssl, web)).toBe('3914e00e21b305d5:1')
    expect(toSarif([api, web], { location: 'Dockerfile' }).log.runs[0]!.automationDetails?.id).toBe(
      'ecr-image-scan/us-east-1/210987654321/team/web+1-more-0bd0deceed5d/',
    )
  })

  it('know an image by the registry it is in, whether or not the step named it', () => {
    const named = completedResult([openssl], {
      target: { registryId: '123456789012', repositoryName: 'team/api', imageTag: 'v1' },
    })
    const unnamed = completedResult([openssl])
    const other = completedResult([openssl], {
      image: { registryId: '210987654321', repositoryName: 'team/api', imageDigest: DIGEST },
    })
    expect(fingerprintOf(openssl, named)).toBe(fingerprintOf(openssl, unnamed))
    expect(fingerprintOf(openssl, other)).not.toBe(fingerprintOf(openssl, unnamed))
    const unresolved = completedResult([], { target: named.target, image: undefined })
    expect(fingerprintOf(openssl, unresolved)).toBe(fingerprintOf(openssl, named))
  })

  it('name the category of a step without images after the action alone', () => {
    expect(toSarif([], { location: 'Dockerfile' }).log.runs[0]!.automationDetails?.id).toBe(
      'ecr-image-scan/',
    )
  })
})

describe('sarifOmissionNote', () => {
  it('counts the omitted results of each severity, most severe first', () => {
    expect(
      sarifOmissionNote({
        omitted: 5,
        total: 9,
        bySeverity: { UNDEFINED: 3, LOW: 2 },
        limit: 'size',
      }),
    ).toBe(
      "\n> [!WARNING]\n> The SARIF file leaves out 5 of 9 results, the least severe (2 LOW, 3 UNDEFINED), to stay under code scanning's limit of 10 MB per file, gzip-compressed. The findings-file output has every finding.\n",
    )
  })
})
