// Every real VEX document of __fixtures__/realdata/vex/ replayed through the bundle, as the runner
// runs it against the emulator: an image whose findings are the document's own vulnerabilities,
// in the packages its statements name, under fail-on-severity: high. The bundle must read every
// document, and suppress exactly what src/ decides for that image; the VEX reader (and its
// package-URL parser) stays out of the start-up bundle.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { completedResult, finding } from '../__fixtures__/results.js'
import { applyVex, indexStatements } from '../src/facts/vex.js'
import type { Finding } from '../src/kernel/model.js'
import type { VexStatement } from '../src/kernel/vex.js'
import { parseVexDocument } from '../src/vex/read.js'
import { emulatorEnv, expectSettled, mapLimit } from './helpers/reliability.js'
import { runAction, type ActionRun } from './helpers/run-action.js'

const FIXTURES = fileURLToPath(new URL('../__fixtures__/realdata/vex/', import.meta.url))
const DIST = fileURLToPath(new URL('../dist/', import.meta.url))
const DOCUMENTS = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'))

/** The image a document is replayed on: named as its first `pkg:oci` product, if it has one. */
function repositoryFor(statements: VexStatement[]): string {
  const oci = statements
    .flatMap((statement) => statement.products)
    .find((product) => product.purl?.type === 'oci' && !product.purl.qualifiers.repository_url)
  const name = oci?.purl?.name.toLowerCase()
  return name && /^[a-z0-9][a-z0-9._-]+$/.test(name) ? name : 'team/api'
}

/** One HIGH finding per statement, in the package it names (a subcomponent, or a package product). */
function findingsFor(statements: VexStatement[]): Finding[] {
  const seen = new Map<string, Finding>()
  for (const statement of statements) {
    const packages = statement.products.flatMap((product) =>
      product.purl?.type === 'oci' || product.subcomponents.length > 0
        ? product.subcomponents
        : [product],
    )
    const purl = packages.find((product) => product.purl)?.purl
    const name = purl
      ? purl.type === 'golang'
        ? `${purl.namespace}/${purl.name}`
        : purl.name
      : 'zlib'
    const version = purl?.version ?? '1.0.0'
    seen.set(
      `${statement.vulnerability} ${name}`,
      finding(statement.vulnerability, 'HIGH', { packageName: name, packageVersion: version }),
    )
  }
  return [...seen.values()]
}

interface Replay {
  document: string
  statements: VexStatement[]
  repository: string
  findings: Finding[]
  run: ActionRun
}

let emulator: Emulator
let workspace: string
let replays: Replay[] = []

beforeAll(async () => {
  emulator = await startEmulator()
  workspace = mkdtempSync(join(tmpdir(), 'vex-workspace-'))
  cpSync(FIXTURES, join(workspace, '.vex'), { recursive: true })
  replays = await mapLimit(DOCUMENTS, 3, async (document, index) => {
    const statements = parseVexDocument(readFileSync(join(FIXTURES, document), 'utf8'), document)
    const repository = repositoryFor(statements)
    const findings = findingsFor(statements)
    const tag = `replay-${index}`
    emulator.putImage({
      repositoryName: repository,
      tag,
      scanProfile: {
        durationMs: 0,
        outcome: 'COMPLETE',
        findings: findings.map((f) => ({
          name: f.id,
          severity: 'HIGH',
          attributes: [
            { key: 'package_name', value: f.packageName ?? '' },
            { key: 'package_version', value: f.packageVersion ?? '' },
          ],
        })),
      },
    })
    const run = await runAction(
      { repository, 'image-tag': tag, 'fail-on-severity': 'high', vex: `.vex/${document}` },
      { env: emulatorEnv(emulator), workspace },
    )
    return { document, statements, repository, findings, run }
  })
}, 240_000)

afterAll(() => {
  emulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

describe('every real VEX document, replayed through the bundle', () => {
  it.each(DOCUMENTS.map((document, i) => [document, i] as const))(
    '%s: read whole, and suppresses what src/ decides',
    (_document, i) => {
      const { statements, repository, findings, run } = replays[i] as Replay
      expectSettled(run)
      const count = statements.length
      expect(run.stdout).toContain(
        `Read ${count} VEX statement${count === 1 ? '' : 's'} from 1 document.`,
      )
      const imageDigest = run.outputs['image-digest'] ?? ''
      const image = { registryId: '123456789012', repositoryName: repository, imageDigest }
      const result = completedResult(findings, {
        target: { repositoryName: repository, imageTag: 'x' },
        image,
      })
      const expected = applyVex(result, indexStatements(statements)).vex.suppressed.length
      expect(run.outputs['vex-suppressed']).toBe(`${expected}`)
      expect(run.exitCode).toBe(expected < findings.length ? 1 : 0)
      expect(run.outputs.high).toBe(`${findings.length - expected}`)
    },
  )

  it('suppresses nothing only where the document names another image, or no package', () => {
    const none = replays.filter(({ run }) => run.outputs['vex-suppressed'] === '0')
    expect(none.map(({ document }) => document).sort()).toEqual([
      // The product has no package URL (a bom-ref of a product named "ABC"), or says exploitable.
      'cyclonedx-1.4-vex-affected-cisa-case1.json',
      'cyclonedx-1.4-vex-exploitable-use-case2.json',
      'cyclonedx-1.4-vex-fixed-cisa-case1.json',
      'cyclonedx-1.4-vex-in-triage-use-case3.json',
      'cyclonedx-1.4-vex-not_affected-cisa-case1.json',
      'cyclonedx-1.4-vex-under_investigation-cisa-case1.json',
      'cyclonedx-vex-protected-by-mitigating-control-use-case12.json',
      // No products at all (the early form), or under_investigation.
      'openvex-bare-context-affected-action-statement-no-products-vexctl.json',
      'openvex-bare-context-string-products-vexctl-images.json',
      // Another image: by digest, or in another registry (repository_url).
      'openvex-trivy-published-oci-repository-url-apk-subcomponents.json',
      'openvex-v020-not-affected-oci-digest-aliases-vexctl.json',
      'openvex-v020-oci-digest-apk-subcomponents-fixed-not-affected-go-vex.json',
      'openvex-v020-under-investigation-go-vex.json',
      'rancher-vexhub-gke-operator-suse-su-id-rpm-subcomponent.json',
      'rancher-vexhub-kube-ovn-deb-ubuntu-subcomponent-no-version.json',
      'rancher-vexhub-nginx-ingress-error-subcomponent-suse-ids-first8of74.json',
    ])
    expect(replays.some(({ run }) => run.exitCode === 0)).toBe(true)
  })
})

describe('the bundle', () => {
  it('loads the VEX reader and packageurl-js as a chunk of their own, only with vex', () => {
    const chunks = readdirSync(DIST).filter((file) => /^\d+\.index\.js$/.test(file))
    const vex = chunks.filter((chunk) =>
      readFileSync(join(DIST, chunk), 'utf8').includes('Copyright (c) the purl authors'),
    )
    expect(vex).toHaveLength(1)
    expect(readFileSync(join(DIST, 'index.js'), 'utf8')).not.toContain(
      'Copyright (c) the purl authors',
    )
  })
})
