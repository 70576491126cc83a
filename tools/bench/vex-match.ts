// VEX matching at scale, in one process: 1,000 statements read from an OpenVEX document and
// applied to one image's 10,000 findings, as the action does once per image. Bundled with ncc
// like the action (bench.ts builds it) and run on Node 24; prints its timings as JSON.
import { performance } from 'node:perf_hooks'
import { applyVex, indexStatements } from '../../src/facts/vex.js'
import { countSeverities, type Finding, type ScanResult } from '../../src/kernel/model.js'
import { parseVexDocument } from '../../src/vex/read.js'

const FINDINGS = 10_000
const STATEMENTS = 1_000
const ROUNDS = 15
const REPOSITORY_URL = '123456789012.dkr.ecr.us-east-1.amazonaws.com/bench/vex'

/**
 * 10,000 findings: each statement's vulnerability in three packages (one of them the statement's),
 * the rest unrelated; `sameVulnerability`: all of one vulnerability, each in its own package.
 */
function findings(sameVulnerability: boolean): Finding[] {
  return Array.from({ length: FINDINGS }, (_, i) => {
    const id = sameVulnerability
      ? 'CVE-2026-0001'
      : `CVE-2026-${i < 3 * STATEMENTS ? Math.floor(i / 3) : i}`
    return {
      id,
      severity: 'HIGH',
      ecrSeverity: 'HIGH',
      packageName: `package-${i}`,
      packageVersion: '1.0.0',
    }
  })
}

/**
 * An OpenVEX v0.2.0 document of 1,000 not_affected statements about the image's repository,
 * each limited to one package; `sameVulnerability`: all about one vulnerability, so every
 * finding meets every statement (the worst case), else one vulnerability each.
 */
function document(sameVulnerability: boolean): string {
  const statements = Array.from({ length: STATEMENTS }, (_, i) => ({
    vulnerability: {
      name: sameVulnerability ? 'CVE-2026-0001' : `CVE-2026-${i}`,
      aliases: [`GHSA-bench-${i}`],
    },
    products: [
      {
        '@id': `pkg:oci/vex?repository_url=${encodeURIComponent(REPOSITORY_URL)}`,
        subcomponents: [{ '@id': `pkg:deb/debian/package-${i * 3}@1.0.0` }],
      },
    ],
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  }))
  return JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'bench',
    author: 'bench',
    timestamp: '2026-01-01T00:00:00Z',
    version: 1,
    statements,
  })
}

function result(list: Finding[]): ScanResult {
  const raw = { HIGH: list.length }
  return {
    target: { repositoryName: 'bench/vex', imageTag: 'v1' },
    region: 'us-east-1',
    image: {
      registryId: '123456789012',
      repositoryName: 'bench/vex',
      imageDigest: `sha256:${'d'.repeat(64)}`,
    },
    scanStarted: true,
    timedOut: false,
    scanStatus: 'COMPLETE',
    findings: { rawSeverityCounts: raw, severityCounts: countSeverities(raw), list, unread: 0 },
  }
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

function measure(sameVulnerability: boolean) {
  const text = document(sameVulnerability)
  const scanned = result(findings(sameVulnerability))
  const read: number[] = []
  const matched: number[] = []
  let suppressed = 0
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now()
    const statements = parseVexDocument(text, 'bench.openvex.json')
    read.push(performance.now() - start)
    start = performance.now()
    suppressed = applyVex(scanned, indexStatements(statements)).vex.suppressed.length
    matched.push(performance.now() - start)
  }
  return {
    documentBytes: text.length,
    readMs: median(read),
    matchMs: median(matched),
    maxMatchMs: Math.max(...matched),
    suppressed,
  }
}

process.stdout.write(
  `${JSON.stringify({ findings: FINDINGS, statements: STATEMENTS, rounds: ROUNDS, distinct: measure(false), same: measure(true) })}\n`,
)
