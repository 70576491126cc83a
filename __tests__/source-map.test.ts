// The build's source-map cut: only src/ is mapped, and what follows src/ code maps to nothing.
import { describe, expect, it } from '@jest/globals'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { decodeMappings, encodeMappings, trimSourceMap } from '../tools/source-map.ts'

// Generated line 1: `a` (src/a.ts 1:0, name 0) at column 0, SDK code at 10, `b` (src/b.ts 5:2)
// at 20, SDK code at 30 and 40. Line 2: SDK code, then src/a.ts 3:4 at column 7.
const LINES = [
  [
    [0, 0, 0, 0, 0],
    [10, 1, 99, 1],
    [20, 2, 4, 2],
    [30, 1, 7, 0],
    [40, 1, 8, 0, 1],
  ],
  [
    [0, 1, 1, 1],
    [7, 0, 2, 4],
  ],
]
const MAP = {
  version: 3,
  file: 'index.js',
  sources: ['../src/a.ts', '../node_modules/sdk/index.js', '../src/b.ts'],
  sourcesContent: ['a', 'sdk', 'b'],
  names: ['start', 'sdkName'],
  mappings: encodeMappings(LINES),
}
const own = (source: string): boolean => source.startsWith('../src/')

describe('mappings', () => {
  it('decode what they encode, negative steps and large numbers included', () => {
    const lines = [
      [
        [5, 0, 1000, 3, 0],
        [2000, 1, 2, 0],
      ],
      [],
      [[0, 0, 0, 0]],
    ]
    expect(decodeMappings(encodeMappings(lines))).toEqual(lines)
    // Decoded by hand: A is 0, S is 9, C is 1.
    expect(decodeMappings('AAAA,SAASA;;ACAA')).toEqual([
      [
        [0, 0, 0, 0],
        [9, 0, 0, 9, 0],
      ],
      [],
      [[0, 1, 0, 9]],
    ])
  })
})

describe('trimSourceMap', () => {
  const trimmed = trimSourceMap(MAP, own)

  it('keeps the sources it is told to and drops the sources’ text', () => {
    expect(trimmed.sources).toEqual(['../src/a.ts', '../src/b.ts'])
    expect(trimmed.names).toEqual(['start'])
    expect(trimmed).not.toHaveProperty('sourcesContent')
  })

  it('ends each kept mapping where other code starts', () => {
    expect(decodeMappings(trimmed.mappings)).toEqual([
      [[0, 0, 0, 0, 0], [10], [20, 1, 4, 2], [30]],
      [[7, 0, 2, 4]],
    ])
  })

  it('ends a map whose last code is not kept so that Node reads the end as such', () => {
    const map = trimSourceMap({ ...MAP, mappings: encodeMappings([LINES[0] ?? []]) }, own)
    expect(map.mappings.endsWith(';')).toBe(true)
    expect(new SourceMap(map as SourceMapPayload).findOrigin(1, 45)).toEqual({})
  })

  it('maps positions in kept code and none in the rest, as Node reads the map', () => {
    const map = new SourceMap(trimmed as SourceMapPayload)
    expect(map.findOrigin(1, 5)).toMatchObject({ fileName: '../src/a.ts', lineNumber: 1 })
    expect(map.findOrigin(1, 15)).toEqual({})
    expect(map.findOrigin(1, 25)).toMatchObject({ fileName: '../src/b.ts', lineNumber: 5 })
    expect(map.findOrigin(1, 45)).toEqual({})
    expect(map.findOrigin(2, 3)).toEqual({})
    expect(map.findOrigin(2, 9)).toMatchObject({ fileName: '../src/a.ts', lineNumber: 3 })
  })
})
