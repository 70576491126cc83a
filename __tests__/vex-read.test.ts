// Reading the vex input's documents: every real document in __fixtures__/realdata/vex/ is read,
// and each bad input fails (before any AWS call) naming the input, the file and the place.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InputError } from '../src/kernel/errors.js'
import { getSettings, resolvedInputs } from '../src/inputs/settings.js'
import { parseVexDocument, readVexDocuments, type VexFiles } from '../src/vex/read.js'

const DIR = fileURLToPath(new URL('../__fixtures__/realdata/vex/', import.meta.url))
const real = (name: string) => readFileSync(`${DIR}${name}`, 'utf8')
const parse = (name: string) => parseVexDocument(real(name), name)

/** An in-memory workspace: path → text. */
function filesOf(tree: Record<string, string>): VexFiles {
  return {
    glob: (pattern) => {
      const regex = new RegExp(
        `^${pattern
          .replace(/\./g, '\\.')
          .replace(/\*\*\//g, '(?:.*/)?')
          .replace(/\*/g, '[^/]*')}$`,
      )
      return Object.keys(tree).filter((path) => regex.test(path))
    },
    readFile: (path) => {
      const text = tree[path.replace(/^\/ws\//, '')]
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`)
      return text
    },
  }
}

function failure(action: () => unknown): string {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('vex')
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

const V020 = (statements: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'x',
    author: 'a',
    timestamp: '2024-01-01T00:00:00Z',
    version: 1,
    statements,
    ...extra,
  })

describe('every real document', () => {
  const names = readdirSync(DIR).filter((name) => name.endsWith('.json'))

  it.each(names)('%s is read, every statement with a vulnerability and a status', (name) => {
    const statements = parse(name)
    expect(statements.length).toBeGreaterThan(0)
    for (const statement of statements) {
      expect(statement.vulnerability).not.toBe('')
      expect(statement.document).toBe(name)
    }
  })

  it('reads the early form: plain-string vulnerabilities and products, no products at all', () => {
    const [first, second] = parse(
      'openvex-bare-context-affected-action-statement-no-products-vexctl.json',
    )
    expect(first).toMatchObject({
      vulnerability: 'CVE-2009-4487',
      status: 'not_affected',
      products: [],
    })
    expect(second?.actionStatement).toBe('Customers are advised to upgrade')
    const images = parse('openvex-bare-context-string-products-vexctl-images.json')
    expect(images.map((s) => s.products[0]?.purl?.name)).toEqual([
      'alpine',
      'nginx',
      'kube-apiserver',
      'kube-apiserver',
    ])
    expect(images[2]?.products[0]?.purl?.qualifiers).toEqual({
      repository_url: 'registry.k8s.io/kube-apiserver',
      tag: 'v1.26.0',
    })
  })

  it("decodes Trivy's mixed encodings of repository_url alike", () => {
    const urls = parse(
      'openvex-trivy-published-oci-repository-url-apk-subcomponents.json',
    )[0]?.products.map((product) => product.purl?.qualifiers.repository_url)
    expect(urls).toEqual(
      expect.arrayContaining(['public.ecr.aws/aquasecurity/trivy', 'ghcr.io/aquasecurity/trivy']),
    )
  })

  it("reads a digest's encoded colon, aliases, and a statement's own time over the document's", () => {
    const [first, second] = parse('openvex-v020-not-affected-oci-digest-aliases-vexctl.json')
    expect(first?.products[0]?.purl?.version).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(first?.aliases.length).toBeGreaterThan(0)
    expect(first?.time).not.toBe(second?.time)
  })

  it('survives a subcomponent that is error text, and null action statements', () => {
    const statements = parse(
      'rancher-vexhub-nginx-ingress-error-subcomponent-suse-ids-first8of74.json',
    )
    expect(statements[0]?.products[0]?.subcomponents[0]).toEqual({
      text: '[ERROR] CVE type  not mapped',
      digests: [],
      subcomponents: [],
    })
    const agent = parse('stackvista-vexhub-k8s-agent-fixed-go-id-generic-subcomponents.json')
    expect(
      agent.every((s) => s.actionStatement === undefined || typeof s.actionStatement === 'string'),
    ).toBe(true)
  })

  it("maps CycloneDX states and takes the product from affects' bom-ref", () => {
    expect(parse('cyclonedx-1.4-vex-in-triage-use-case3.json')[0]?.status).toBe(
      'under_investigation',
    )
    expect(parse('cyclonedx-1.4-vex-fixed-cisa-case1.json')[0]?.status).toBe('fixed')
    expect(parse('cyclonedx-1.4-vex-affected-cisa-case1.json')[0]?.status).toBe('affected')
    const [bomLink] = parse('cyclonedx-vex-bomlink-purl-ref-not-affected-code-not-reachable.json')
    expect(bomLink?.products[0]?.purl).toMatchObject({
      type: 'maven',
      name: 'jackson-databind',
      version: '2.10.0',
    })
    expect(bomLink?.justification).toBe('code_not_reachable')
  })
})

describe('readVexDocuments', () => {
  const ok = V020([
    { vulnerability: { name: 'CVE-1' }, products: ['pkg:oci/api'], status: 'fixed' },
  ])

  it('reads files and glob patterns relative to the workspace, each document once, in order', () => {
    const files = filesOf({ '.vex/a.json': ok, '.vex/b.json': ok, 'vendor.json': ok })
    const statements = readVexDocuments(['vendor.json', '.vex/*.json', '.vex/a.json'], '/ws', files)
    expect(statements.map((s) => `${s.document} ${s.order}`)).toEqual([
      'vendor.json 0',
      '.vex/a.json 1',
      '.vex/b.json 2',
    ])
  })

  it('fails when a pattern matches no file', () => {
    expect(failure(() => readVexDocuments(['.vex/*.json'], '/ws', filesOf({})))).toMatch(
      /'\.vex\/\*\.json', which matches no file/,
    )
  })

  it('fails when a file cannot be read', () => {
    expect(failure(() => readVexDocuments(['missing.json'], '/ws', filesOf({})))).toMatch(
      /VEX document missing\.json \(input 'vex'\) cannot be read: ENOENT/,
    )
  })

  it('fails on a file that is not JSON, saying where', () => {
    expect(failure(() => parseVexDocument('{"statements": [', 'bad.json'))).toMatch(
      /VEX document bad\.json \(input 'vex'\) at its end \(line 1\): not JSON/,
    )
    expect(
      failure(() => parseVexDocument('{\n  "statements": [\n    nope\n]}', 'bad.json')),
    ).toMatch(
      /VEX document bad\.json \(input 'vex'\) at line 3 column 6: not JSON \(Unexpected token 'o'\)\./,
    )
  })

  it('fails on JSON that is neither OpenVEX nor CycloneDX', () => {
    expect(failure(() => parseVexDocument('{"ignore": ["CVE-1"]}', 'ignore.json'))).toMatch(
      /neither an OpenVEX document .* nor a CycloneDX BOM/,
    )
    expect(failure(() => parseVexDocument('[]', 'list.json'))).toMatch(/neither an OpenVEX/)
  })

  it('fails on CycloneDX before 1.4, which has no VEX analysis', () => {
    const old = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.3', vulnerabilities: [] })
    expect(failure(() => parseVexDocument(old, 'bom.json'))).toMatch(
      /at specVersion: CycloneDX 1\.3 has no VEX analysis/,
    )
  })

  it('fails on a not_affected statement without a justification or impact statement, naming it', () => {
    const bare = V020([
      { vulnerability: { name: 'CVE-1' }, products: [], status: 'fixed' },
      { vulnerability: { name: 'CVE-2' }, status: 'not_affected' },
    ])
    expect(failure(() => parseVexDocument(bare, 'v.json'))).toMatch(
      /v\.json \(input 'vex'\) at statements\[1\]: CVE-2 is not_affected without a "justification" or an "impact_statement"/,
    )
  })

  it('fails on an unknown status, a statement without a vulnerability, and missing lists', () => {
    const unknown = V020([{ vulnerability: { name: 'CVE-1' }, status: 'fine' }])
    expect(failure(() => parseVexDocument(unknown, 'v.json'))).toMatch(
      /at statements\[0\]\.status: the status 'fine' is not one of/,
    )
    const nameless = V020([{ vulnerability: {}, status: 'fixed' }])
    expect(failure(() => parseVexDocument(nameless, 'v.json'))).toMatch(
      /at statements\[0\]\.vulnerability/,
    )
    const noStatements = V020([], { statements: undefined })
    expect(failure(() => parseVexDocument(noStatements, 'v.json'))).toMatch(
      /at statements: .* a list of "statements"/,
    )
    const cdx = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'maybe' } }],
    })
    expect(failure(() => parseVexDocument(cdx, 'bom.json'))).toMatch(
      /at vulnerabilities\[0\]\.analysis\.state: the state 'maybe'/,
    )
  })
})

describe('the vex input', () => {
  const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? ''

  it('is a list of files or patterns, relative to the workspace; unset without it', () => {
    const settings = getSettings(
      inputs({
        repository: 'team/api',
        'image-tag': 'v1',
        region: 'us-east-1',
        vex: '.vex/*.json, vendor.json',
      }),
      { GITHUB_WORKSPACE: '/ws' },
    )
    expect(settings.facts.vex).toEqual({
      patterns: ['.vex/*.json', 'vendor.json'],
      workspace: '/ws',
    })
    expect(resolvedInputs(settings).vex).toBe('.vex/*.json, vendor.json')
    const without = getSettings(
      inputs({ repository: 'team/api', 'image-tag': 'v1', region: 'us-east-1' }),
      {},
    )
    expect(without.facts.vex).toBeUndefined()
  })
})
