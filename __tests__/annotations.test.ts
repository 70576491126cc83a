import { describe, expect, it } from '@jest/globals'
import type { EnhancedImageScanFinding } from '@aws-sdk/client-ecr'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromEnhancedFinding } from '../src/ecr/findings.js'
import {
  comparedResult,
  completedResult,
  finding,
  reportsOf,
  settingsWith,
} from '../__fixtures__/results.js'
import { applyIgnoreRules } from '../src/facts/ignore.js'
import { findingAnnotations, MAX_WARNING_ANNOTATIONS } from '../src/report/annotations.js'

const SEVERITY_WORDS = ['LOW', 'CRITICAL', 'MEDIUM', 'HIGH', 'INFORMATIONAL']
import type { ScanResult } from '../src/kernel/model.js'

/** findingAnnotations on reports made as the step makes them, with only-fixable and only-new. */
function annotate(
  results: ScanResult[],
  { onlyFixable, onlyNew, max }: { onlyFixable: boolean; onlyNew: boolean; max: number },
) {
  return findingAnnotations(reportsOf(results, settingsWith({ onlyFixable, onlyNew })), { max })
}

describe('findingAnnotations', () => {
  const list = Array.from({ length: 25 }, (_, i) =>
    finding(`CVE-2024-${1000 + i}`, SEVERITY_WORDS[i % 5]!, {
      packageName: `pkg${i}`,
      packageVersion: '1.0',
      fixedInVersion: i % 2 ? '1.1' : undefined,
      fixAvailable: i % 2 ? 'YES' : 'NO',
    }),
  )

  it('gives at most 10 warnings, most severe first, then a notice counting the rest', () => {
    const specs = annotate([completedResult(list)], {
      onlyFixable: false,
      onlyNew: false,
      max: 10,
    })
    const warnings = specs.filter((spec) => spec.level === 'warning')
    expect(warnings).toHaveLength(MAX_WARNING_ANNOTATIONS)
    expect(warnings.slice(0, 5).every((spec) => spec.message.includes('(CRITICAL)'))).toBe(true)
    expect(warnings.slice(5).every((spec) => spec.message.includes('(HIGH)'))).toBe(true)
    expect(warnings[0]).toEqual({
      level: 'warning',
      title: 'CRITICAL vulnerability in team/api:v1',
      message: 'CVE-2024-1001 (CRITICAL) in pkg1 1.0, fixed in 1.1 — team/api:v1',
    })
    for (const spec of specs) expect(spec.message).not.toMatch(/[\r\n]/)
    expect(specs.at(-1)).toEqual({
      level: 'notice',
      title: 'More findings',
      message:
        '15 more findings than annotated here: see the job summary, and the findings-file output for all of them.',
    })
  })

  it('uses only the warnings GitHub still shows in the step', () => {
    const specs = annotate([completedResult(list)], {
      onlyFixable: false,
      onlyNew: false,
      max: 3,
    })
    expect(specs.filter((spec) => spec.level === 'warning')).toHaveLength(3)
    expect(specs.at(-1)?.message).toMatch(/^22 more findings/)
    expect(
      annotate([completedResult(list)], { onlyFixable: false, onlyNew: false, max: 50 }),
    ).toHaveLength(11)
  })

  it('with only-fixable, annotates only findings with a fix, and none of a basic scan', () => {
    const specs = annotate([completedResult(list)], {
      onlyFixable: true,
      onlyNew: false,
      max: 10,
    })
    const warnings = specs.filter((spec) => spec.level === 'warning')
    expect(warnings).toHaveLength(10)
    expect(warnings.every((spec) => spec.message.includes('fixed in 1.1'))).toBe(true)
    expect(specs.at(-1)?.message).toMatch(/^2 more fixable findings/)
    const basic = [finding('CVE-1', 'CRITICAL', { packageName: 'zlib' })]
    expect(
      annotate([completedResult(basic)], { onlyFixable: true, onlyNew: false, max: 10 }),
    ).toEqual([])
  })

  it('leaves ignored findings out and needs no notice when all fit', () => {
    const result = applyIgnoreRules(
      completedResult([finding('CVE-1', 'HIGH'), finding('CVE-2', 'LOW')]),
      [{ id: 'CVE-1', source: 's' }],
    )
    const specs = annotate([result], { onlyFixable: false, onlyNew: false, max: 10 })
    expect(specs.map((spec) => spec.message)).toEqual([
      'CVE-2 (LOW), fixed version not known — team/api:v1',
    ])
  })

  it('counts findings ECR reported but that could not be read', () => {
    const base = completedResult([finding('CVE-1', 'HIGH')])
    const partial = {
      ...base,
      findings: {
        ...base.findings!,
        severityCounts: { ...base.findings!.severityCounts, HIGH: 40 },
        unread: 39,
      },
    }
    const specs = annotate([partial], { onlyFixable: false, onlyNew: false, max: 10 })
    expect(specs.at(-1)?.message).toMatch(/^39 more findings/)
  })
})

describe('findingAnnotations with compare-to and known exploits', () => {
  const kept = Array.from({ length: 12 }, (_, i) =>
    finding(`CVE-KEPT-${i}`, 'CRITICAL', { packageName: `kept${i}` }),
  )
  const added = [
    finding('CVE-NEW-1', 'HIGH', { packageName: 'openssl', exploitAvailable: 'YES' }),
    finding('CVE-NEW-2', 'LOW', { packageName: 'zlib', fixAvailable: 'YES', fixedInVersion: '2' }),
  ]
  const result = comparedResult([...kept, ...added], kept)
  const ids = (specs: { level: string; message: string }[]) =>
    specs.filter((spec) => spec.level === 'warning').map((spec) => spec.message.split(' ')[0])

  it('with only-new, annotates only the findings the baseline lacks', () => {
    const specs = annotate([result], { onlyFixable: false, onlyNew: true, max: 10 })
    expect(ids(specs)).toEqual(['CVE-NEW-1', 'CVE-NEW-2'])
    expect(specs.some((spec) => spec.level === 'notice')).toBe(false)
    // Without only-new the unchanged CRITICALs come first and fill the ten.
    const every = annotate([result], { onlyFixable: false, onlyNew: false, max: 10 })
    expect(ids(every).every((id) => id?.startsWith('CVE-KEPT'))).toBe(true)
    expect(every.at(-1)?.message).toMatch(/^4 more findings than annotated/)
  })

  it('combines only-new with only-fixable, and counts the rest as new', () => {
    const fixable = annotate([result], { onlyFixable: true, onlyNew: true, max: 10 })
    expect(ids(fixable)).toEqual(['CVE-NEW-2'])
    const few = annotate([result], { onlyFixable: false, onlyNew: true, max: 1 })
    expect(few.at(-1)?.message).toMatch(/^1 more new finding than annotated/)
  })

  it('says "new" of the rest only when every image was compared', () => {
    const uncompared = completedResult([...kept, ...added], {
      target: { repositoryName: 'team/web', imageTag: 'v1' },
    })
    const mixed = (onlyFixable: boolean) =>
      annotate([result, uncompared], { onlyFixable, onlyNew: true, max: 1 }).at(-1)?.message
    expect(mixed(false)).toMatch(/^\d+ more findings than annotated/)
    expect(mixed(true)).toMatch(/^1 more fixable finding than annotated/)
  })

  it('with only-new and no comparison made, annotates every finding', () => {
    const uncompared = completedResult([...kept, ...added], {
      baseline: { label: 'team/api:production', outcome: 'missing', reason: 'not there' },
    })
    const specs = annotate([uncompared], { onlyFixable: false, onlyNew: true, max: 10 })
    expect(ids(specs)).toHaveLength(10)
    expect(specs.at(-1)?.message).toMatch(/^4 more findings than annotated/)
  })

  it('marks a finding with a known exploit in its title', () => {
    const specs = annotate([result], { onlyFixable: false, onlyNew: true, max: 10 })
    expect(specs.map((spec) => spec.title)).toEqual([
      '⚠ exploit: HIGH vulnerability in team/api:v1',
      'LOW vulnerability in team/api:v1',
    ])
  })
})

describe('findingAnnotations on real enhanced findings', () => {
  it('never says "fixed in NotAvailable": the AWS example and moto\'s sample', () => {
    const read = (file: string) =>
      (
        JSON.parse(readFileSync(join('__fixtures__/realdata/findings', file), 'utf8')) as {
          imageScanFindings: { enhancedFindings: EnhancedImageScanFinding[] }
        }
      ).imageScanFindings.enhancedFindings.map(fromEnhancedFinding)
    const list = [
      ...read('enhanced-active-debian-aws-apiref-example.json'),
      ...read('enhanced-complete-debian-untriaged-moto.json'),
    ]
    const specs = annotate([completedResult(list, { scanType: 'ENHANCED' })], {
      onlyFixable: false,
      onlyNew: false,
      max: 10,
    })
    expect(specs.map((spec) => spec.message)).toEqual([
      'CVE-2022-49043 (HIGH) in libxml2 2.9.14+dfsg, no fix available — team/api:v1',
      'CVE-2024-9681 (MEDIUM) in curl 7.88.1, no fix available — team/api:v1',
      'CVE-2025-24528 (UNTRIAGED) in krb5 1.20.1, no fix available — team/api:v1',
    ])
  })
})

describe('plainLine', () => {
  it('drops control characters and ANSI escapes from ECR data and bounds the length', async () => {
    const { plainLine } = await import('../src/kernel/text.js')
    expect(plainLine('a\u001b[31mred\u001b[0m\nb\u2028c')).toBe('a [31mred [0m b c')
    expect(plainLine('x'.repeat(1000))).toHaveLength(500)
  })
})
