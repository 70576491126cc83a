// The matching table of docs/vex.md, one test per row: which findings a VEX statement speaks of,
// and what the latest statement decides.
import { describe, expect, it } from '@jest/globals'
import { DIGEST, completedResult, finding } from '../__fixtures__/results.js'
import { enrich } from '../src/facts/enrich.js'
import { applyVex, indexStatements, unmatchedStatements } from '../src/facts/vex.js'
import { parseVexDocument } from '../src/vex/read.js'
import type { Finding, ScanResult } from '../src/kernel/model.js'
import type { VexStatement } from '../src/kernel/vex.js'

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
const INDEX = `sha256:${'1'.repeat(64)}`
const OTHER = `sha256:${'e'.repeat(64)}`
const CVE = 'CVE-2024-0001'
const libssl = finding(CVE, 'HIGH', { packageName: 'libssl3', packageVersion: '3.0.8-r3' })
const busybox = finding(CVE, 'HIGH', { packageName: 'busybox', packageVersion: '1.36.1-r2' })

/** An OpenVEX v0.2.0 document with `statements` (the document's timestamp 2024-01-01). */
function openVex(...statements: Record<string, unknown>[]): VexStatement[] {
  const document = {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex-1',
    author: 'test',
    timestamp: '2024-01-01T00:00:00Z',
    version: 1,
    statements,
  }
  return parseVexDocument(JSON.stringify(document), 'vex/test.json')
}

const notAffected = (products: unknown, vulnerability: unknown = { name: CVE }) => ({
  vulnerability,
  products,
  status: 'not_affected',
  justification: 'vulnerable_code_not_present',
})

/** The IDs and packages of the findings `statements` suppress in `result`. */
function suppressed(statements: VexStatement[], result: ScanResult = completedResult([libssl])) {
  const { vex } = applyVex(result, indexStatements(statements))
  return vex.suppressed.map(({ finding: f }) => `${f.id} ${f.packageName}`)
}

const image = (extra: Record<string, unknown> = {}) => [
  { '@id': `pkg:oci/api@${DIGEST}`, ...extra },
]

describe('vulnerability', () => {
  it('matches the name, case-insensitively', () => {
    expect(suppressed(openVex(notAffected(image(), { name: 'cve-2024-0001' })))).toEqual([
      `${CVE} libssl3`,
    ])
    expect(suppressed(openVex(notAffected(image(), { name: 'CVE-2024-0002' })))).toEqual([])
  })

  it('matches any alias, as a Go or GHSA ID names a CVE', () => {
    const named = { name: 'GO-2024-2575', aliases: ['GHSA-r53h-jv2g-vpx6', CVE] }
    expect(suppressed(openVex(notAffected(image(), named)))).toEqual([`${CVE} libssl3`])
  })
})

describe('product: the image', () => {
  it('a pkg:oci package URL whose version is the image digest, encoded or not', () => {
    const encoded = `pkg:oci/api@${DIGEST.replace(':', '%3A')}`
    expect(suppressed(openVex(notAffected([{ '@id': encoded }])))).toHaveLength(1)
    expect(suppressed(openVex(notAffected(image())))).toHaveLength(1)
    expect(suppressed(openVex(notAffected([{ '@id': `pkg:oci/api@${OTHER}` }])))).toEqual([])
  })

  it("a multi-arch index's digest covers each of its platforms", () => {
    const platform = completedResult([libssl], { indexDigest: INDEX, platform: 'linux/arm64' })
    expect(
      suppressed(openVex(notAffected([{ '@id': `pkg:oci/api@${INDEX}` }])), platform),
    ).toHaveLength(1)
  })

  it('a bare digest, or a sha-256 hash of the product', () => {
    expect(suppressed(openVex(notAffected([DIGEST])))).toHaveLength(1)
    const hashed = [
      { '@id': 'https://example.com/images/api', hashes: { 'sha-256': DIGEST.slice(7) } },
    ]
    expect(suppressed(openVex(notAffected(hashed)))).toHaveLength(1)
    expect(suppressed(openVex(notAffected([OTHER])))).toEqual([])
  })

  it('repository_url names the registry and repository, percent-encoded or not; no version is every image', () => {
    const plain = `pkg:oci/api?repository_url=${HOST}/team/api`
    const encoded = `pkg:oci/api?repository_url=${encodeURIComponent(`${HOST}/team/api`)}`
    expect(suppressed(openVex(notAffected([plain])))).toHaveLength(1)
    expect(suppressed(openVex(notAffected([encoded])))).toHaveLength(1)
    const elsewhere = [
      `pkg:oci/api?repository_url=${HOST}/team/web`,
      `pkg:oci/api?repository_url=${HOST.replace('us-east-1', 'eu-west-1')}/team/api`,
      `pkg:oci/api?repository_url=${HOST.replace('123456789012', '210987654321')}/team/api`,
      'pkg:oci/api?repository_url=ghcr.io/team/api',
    ]
    for (const product of elsewhere) expect(suppressed(openVex(notAffected([product])))).toEqual([])
  })

  it("without repository_url, the name is the repository's last part", () => {
    expect(suppressed(openVex(notAffected(['pkg:oci/api'])))).toHaveLength(1)
    expect(suppressed(openVex(notAffected(['pkg:oci/web'])))).toEqual([])
  })

  it('a tag qualifier must be the image tag', () => {
    expect(suppressed(openVex(notAffected(['pkg:oci/api?tag=v1'])))).toHaveLength(1)
    expect(suppressed(openVex(notAffected(['pkg:oci/api?tag=v2'])))).toEqual([])
  })

  it('an image reference written as text (the early form)', () => {
    expect(suppressed(openVex(notAffected([`${HOST}/team/api:v1`])))).toHaveLength(1)
    expect(suppressed(openVex(notAffected([`${HOST}/team/api@${DIGEST}`])))).toHaveLength(1)
    expect(suppressed(openVex(notAffected([`${HOST}/team/api:v2`])))).toEqual([])
    expect(suppressed(openVex(notAffected(['registry.k8s.io/kube-apiserver:v1.26.0'])))).toEqual([])
  })

  it('a statement without products, or with text that names nothing, matches nothing', () => {
    expect(suppressed(openVex(notAffected(undefined)))).toEqual([])
    expect(suppressed(openVex(notAffected(['[ERROR] CVE type  not mapped'])))).toEqual([])
  })
})

describe('subcomponents', () => {
  const both = completedResult([libssl, busybox])

  it('limit the statement to findings in those packages', () => {
    const products = image({ subcomponents: [{ '@id': 'pkg:apk/alpine/libssl3' }] })
    expect(suppressed(openVex(notAffected(products)), both)).toEqual([`${CVE} libssl3`])
  })

  it('with a version, only that version of the package', () => {
    const same = image({ subcomponents: [{ '@id': 'pkg:apk/alpine/libssl3@3.0.8-r3' }] })
    const other = image({ subcomponents: [{ '@id': 'pkg:apk/alpine/libssl3@3.0.9-r0' }] })
    expect(suppressed(openVex(notAffected(same)), both)).toEqual([`${CVE} libssl3`])
    expect(suppressed(openVex(notAffected(other)), both)).toEqual([])
  })

  it("compare decoded versions, and a Go module's whole path", () => {
    const cli = finding(CVE, 'HIGH', {
      packageName: 'github.com/docker/cli',
      packageVersion: 'v29.2.1+incompatible',
    })
    const sub = 'pkg:golang/github.com/docker/cli@v29.2.1%2Bincompatible'
    const products = image({ subcomponents: [{ '@id': sub }] })
    expect(suppressed(openVex(notAffected(products)), completedResult([cli]))).toHaveLength(1)
  })

  it("match an enhanced finding's list of packages", () => {
    const enhanced = finding(CVE, 'HIGH', {
      packageName: 'libcrypto3, libssl3',
      packageVersion: '3.0.8-r3',
    })
    const products = image({ subcomponents: [{ '@id': 'pkg:apk/alpine/libssl3@3.0.8-r3' }] })
    expect(suppressed(openVex(notAffected(products)), completedResult([enhanced]))).toHaveLength(1)
  })

  it('the early form: subcomponents on the statement belong to each product', () => {
    const statement = {
      ...notAffected([`pkg:oci/api@${DIGEST}`]),
      subcomponents: ['pkg:apk/alpine/busybox'],
    }
    expect(suppressed(openVex(statement), both)).toEqual([`${CVE} busybox`])
  })
})

describe('a product that is a package', () => {
  it('applies to findings in that package, in any image', () => {
    const statements = openVex(notAffected(['pkg:apk/alpine/busybox@1.36.1-r2']))
    const web = completedResult([libssl, busybox], {
      target: { repositoryName: 'team/web', imageTag: 'v9' },
    })
    expect(suppressed(statements, web)).toEqual([`${CVE} busybox`])
    expect(suppressed(openVex(notAffected(['pkg:apk/alpine/busybox@1.0'])), web)).toEqual([])
  })

  it("with subcomponents, applies to findings in them (a program's modules), not in the program", () => {
    const helm = finding(CVE, 'HIGH', { packageName: 'helm.sh/helm/v3', packageVersion: 'v3.14.0' })
    const trivy = finding(CVE, 'HIGH', { packageName: 'github.com/aquasecurity/trivy' })
    const product = {
      '@id': 'pkg:golang/github.com/aquasecurity/trivy',
      subcomponents: [{ '@id': 'pkg:golang/helm.sh/helm/v3' }],
    }
    expect(suppressed(openVex(notAffected([product])), completedResult([helm, trivy]))).toEqual([
      `${CVE} helm.sh/helm/v3`,
    ])
  })
})

describe('CycloneDX', () => {
  const cyclone = (affects: unknown[], state = 'not_affected', components: unknown[] = []) =>
    parseVexDocument(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        metadata: { component: { 'bom-ref': 'image', name: 'api', purl: `pkg:oci/api@${DIGEST}` } },
        components,
        vulnerabilities: [
          { id: CVE, analysis: { state, justification: 'code_not_reachable' }, affects },
        ],
      }),
      'vex/bom.json',
    )

  it('affects[].ref names a bom-ref whose purl is the image or a package', () => {
    expect(suppressed(cyclone([{ ref: 'image' }]))).toHaveLength(1)
    const pkg = { 'bom-ref': 'ssl', name: 'libssl3', purl: 'pkg:apk/alpine/libssl3@3.0.8-r3' }
    expect(suppressed(cyclone([{ ref: 'ssl' }], 'not_affected', [pkg]))).toHaveLength(1)
    expect(suppressed(cyclone([{ ref: 'nothing-here' }]))).toEqual([])
  })

  it('a BOM-Link ref names the bom-ref after #, a package URL there too', () => {
    expect(
      suppressed(cyclone([{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#image' }])),
    ).toHaveLength(1)
    const link = 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:apk/alpine/libssl3'
    expect(suppressed(cyclone([{ ref: link }]))).toHaveLength(1)
  })

  it('maps analysis.state: not_affected, false_positive, resolved suppress; exploitable, in_triage keep', () => {
    for (const state of ['not_affected', 'false_positive', 'resolved', 'resolved_with_pedigree'])
      expect(suppressed(cyclone([{ ref: 'image' }], state))).toHaveLength(1)
    for (const state of ['exploitable', 'in_triage'])
      expect(suppressed(cyclone([{ ref: 'image' }], state))).toEqual([])
    expect(cyclone([{ ref: 'image' }], 'exploitable')[0]?.status).toBe('affected')
    expect(cyclone([{ ref: 'image' }], 'in_triage')[0]?.status).toBe('under_investigation')
  })
})

describe('status', () => {
  it('not_affected and fixed suppress; affected and under_investigation keep the finding, marked', () => {
    const of = (status: string, extra: Record<string, unknown> = {}) =>
      applyVex(
        completedResult([libssl]),
        indexStatements(openVex({ vulnerability: CVE, products: image(), status, ...extra })),
      ).vex
    expect(of('fixed').suppressed).toHaveLength(1)
    expect(of('not_affected', { impact_statement: 'never loaded' }).suppressed).toHaveLength(1)
    const affected = of('affected', { action_statement: 'Upgrade to 3.0.9' })
    expect(affected.suppressed).toEqual([])
    expect(affected.kept.map(({ statement }) => statement.actionStatement)).toEqual([
      'Upgrade to 3.0.9',
    ])
    expect(of('under_investigation').kept.map(({ statement }) => statement.status)).toEqual([
      'under_investigation',
    ])
  })
})

describe('time', () => {
  const statement = (status: string, timestamp?: string) => ({
    vulnerability: { name: CVE },
    products: image(),
    status,
    ...(status === 'not_affected' && { justification: 'component_not_present' }),
    ...(timestamp && { timestamp }),
  })
  const decided = (statements: VexStatement[]) =>
    applyVex(completedResult([libssl]), indexStatements(statements)).vex

  it("the latest statement wins: its own timestamp, else its document's", () => {
    // Written first but later in time: it decides.
    const later = openVex(
      statement('not_affected', '2024-03-01T00:00:00Z'),
      statement('affected', '2024-02-01T00:00:00Z'),
    )
    expect(decided(later).suppressed).toHaveLength(1)
    // No timestamp of its own: the document's 2024-01-01 is before 2024-02-01.
    const inherits = openVex(
      statement('affected', '2024-02-01T00:00:00Z'),
      statement('not_affected'),
    )
    expect(decided(inherits).kept).toHaveLength(1)
  })

  it('compares statements about the whole image with those about its package', () => {
    const inPackage = (status: string, timestamp: string) => ({
      ...statement(status, timestamp),
      products: image({ subcomponents: [{ '@id': 'pkg:apk/alpine/libssl3' }] }),
    })
    const whole = openVex(
      statement('not_affected', '2024-02-01T00:00:00Z'),
      statement('affected', '2024-01-15T00:00:00Z'),
      inPackage('affected', '2024-03-01T00:00:00Z'),
    )
    expect(decided(whole).kept.map(({ statement: s }) => s.place)).toEqual(['statements[2]'])
    const wholeLater = openVex(
      inPackage('affected', '2024-01-01T00:00:00Z'),
      statement('affected', '2024-01-15T00:00:00Z'),
      statement('not_affected', '2024-02-01T00:00:00Z'),
    )
    expect(decided(wholeLater).suppressed.map(({ statement: s }) => s.place)).toEqual([
      'statements[2]',
    ])
    expect(decided(wholeLater).matched).toHaveLength(3)
  })

  it('on a tie, the later one in the document', () => {
    expect(
      decided(openVex(statement('affected'), statement('not_affected'))).suppressed,
    ).toHaveLength(1)
    expect(decided(openVex(statement('not_affected'), statement('affected'))).kept).toHaveLength(1)
  })
})

describe('with ignore rules, counts and the comparison', () => {
  const statements = openVex(notAffected(image()))
  const index = indexStatements(statements)
  const settings = { onlyNew: false, onlyFixable: false }

  it('takes suppressed findings out of the list and the counts the verdict reads', () => {
    const other = finding('CVE-2024-0009', 'LOW')
    const { result, facts } = enrich(
      completedResult([libssl, other]),
      { ignore: [], vex: index },
      settings,
    )
    expect(result.findings?.list).toEqual([other])
    expect(result.findings?.severityCounts.HIGH).toBe(0)
    expect(facts.considered?.counts.HIGH).toBe(0)
    expect(facts.vex?.suppressed.map(({ finding: f }) => f)).toEqual([libssl])
  })

  it('counts a finding both ignored and suppressed once, as ignored', () => {
    const rule = { id: CVE, source: "input 'ignore'" }
    const { result, facts } = enrich(
      completedResult([libssl]),
      { ignore: [rule], vex: index },
      settings,
    )
    expect(result.findings?.ignored).toHaveLength(1)
    expect(facts.vex?.suppressed).toEqual([])
    expect(result.findings?.severityCounts.HIGH).toBe(0)
  })

  it('a suppressed finding is neither new nor does the baseline call it fixed', () => {
    const compared = completedResult([libssl], {
      baseline: { label: 'team/api:production', outcome: 'compared', findings: [libssl] },
    })
    const { facts } = enrich(compared, { ignore: [], vex: index }, settings)
    expect(facts.comparison).toEqual({ added: [], fixed: [], unchanged: [] })
  })

  it('without vex, no VEX facts at all', () => {
    expect(enrich(completedResult([libssl]), { ignore: [] }, settings).facts.vex).toBeUndefined()
  })

  it('names the statements that matched no finding', () => {
    const two = openVex(notAffected(image()), notAffected(image(), { name: 'CVE-2030-1' }))
    const { facts } = enrich(
      completedResult([libssl]),
      { ignore: [], vex: indexStatements(two) },
      settings,
    )
    expect(unmatchedStatements(two, [facts]).map((s) => s.vulnerability)).toEqual(['CVE-2030-1'])
  })
})

export type { Finding }
