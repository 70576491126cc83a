// How often toSarif compresses the log to fit code scanning's size limit: each measure is a
// gzip of the whole file (up to 10 MB), so it must shrink to fit in a few measures, never one
// result at a time.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { completedResult, finding, reportsOf } from '../__fixtures__/results.js'
import type { ScanResult } from '../src/kernel/model.js'
import type { SarifOptions } from '../src/report/sarif.js'

const gzipSync = jest.fn(zlib.gzipSync)
jest.unstable_mockModule('node:zlib', () => ({ ...zlib, default: zlib, gzipSync }))
const { toSarif: toSarifOf } = await import('../src/report/sarif.js')

beforeEach(() => {
  gzipSync.mockClear()
})

// Incompressible package names: the size, not the count, is the limit.
const list = Array.from({ length: 1_000 }, (_, i) =>
  finding(`CVE-2024-${i}`, 'LOW', { packageName: randomBytes(300).toString('base64') }),
)

/** The SARIF log of `results`, their reports made as the step makes them. */
const toSarif = (results: ScanResult[], options: SarifOptions) =>
  toSarifOf(reportsOf(results), options)

describe('toSarif within the compressed size', () => {
  it('shrinks a file a little over the limit in a few measures, not one result at a time', () => {
    const whole = toSarif([completedResult(list)], { location: 'Dockerfile' })
    const size = zlib.gzipSync(JSON.stringify(whole.log)).length
    gzipSync.mockClear()
    // 10 % over: about 100 results must go.
    const { omitted } = toSarif([completedResult(list)], {
      location: 'Dockerfile',
      maxGzipBytes: Math.floor(size / 1.1),
    })
    expect(omitted!.omitted).toBeGreaterThan(50)
    expect(gzipSync.mock.calls.length).toBeLessThanOrEqual(3)
  })

  it('compresses nothing when the file is within the limit uncompressed', () => {
    const { omitted } = toSarif([completedResult(list.slice(0, 10))], { location: 'Dockerfile' })
    expect(omitted).toBeUndefined()
    expect(gzipSync).not.toHaveBeenCalled()
  })

  it('compresses nothing when the file is exactly the limit uncompressed', () => {
    const results = [completedResult(list.slice(0, 10))]
    const size = Buffer.byteLength(JSON.stringify(toSarif(results, { location: 'Dockerfile' }).log))
    gzipSync.mockClear()
    const { omitted } = toSarif(results, { location: 'Dockerfile', maxGzipBytes: size })
    expect(omitted).toBeUndefined()
    expect(gzipSync).not.toHaveBeenCalled()
  })
})
