// Cuts ncc's source map down to the action's own code. The full map is 4.3 MB (2.8 MB of it the
// text of every bundled file, 1.2 MB the mappings of the AWS SDK and the rest of node_modules);
// what a stack needs to read as src/*.ts lines is the mappings of src/, about 0.1 MB.

/** The fields of a source map (version 3) this file reads and writes. */
export interface SourceMapJson {
  version: number
  file?: string
  sources: string[]
  sourcesContent?: (string | null)[]
  names: string[]
  mappings: string
  ignoreList?: number[]
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** One segment, absolute: [column] or [column, source, line, sourceColumn(, name)]. */
type Segment = number[]

/** The mappings string as lines of absolute segments. */
export function decodeMappings(mappings: string): Segment[][] {
  const state = [0, 0, 0, 0, 0]
  return mappings.split(';').map((line) => {
    state[0] = 0 // the generated column restarts on every line; the other fields run on
    if (!line) return []
    return line.split(',').map((text) => {
      const fields = decodeVlq(text)
      return fields.map((delta, i) => (state[i] = (state[i] ?? 0) + delta))
    })
  })
}

/** Lines of absolute segments back to a mappings string. */
export function encodeMappings(lines: Segment[][]): string {
  const state = [0, 0, 0, 0, 0]
  return lines
    .map((segments) => {
      state[0] = 0
      return segments
        .map((segment) =>
          segment
            .map((value, i) => {
              const delta = value - (state[i] ?? 0)
              state[i] = value
              return encodeVlq(delta)
            })
            .join(''),
        )
        .join(',')
    })
    .join(';')
}

function decodeVlq(text: string): number[] {
  const values: number[] = []
  let value = 0
  let shift = 0
  for (const char of text) {
    const digit = BASE64.indexOf(char)
    if (digit < 0) throw new Error(`not a source map mapping: '${text}'`)
    value += (digit & 31) * 2 ** shift
    shift += 5
    if ((digit & 32) === 0) {
      values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2)
      value = 0
      shift = 0
    }
  }
  return values
}

function encodeVlq(value: number): string {
  let rest = value < 0 ? -value * 2 + 1 : value * 2
  let text = ''
  do {
    const digit = rest % 32
    rest = Math.floor(rest / 32)
    text += BASE64[rest > 0 ? digit | 32 : digit]
  } while (rest > 0)
  return text
}

/**
 * The map with only the mappings into sources `keep` accepts, and no sourcesContent (the sources
 * are in the repository at the same commit). Where kept code is followed by other code, a
 * segment without a source ends the mapping, so a position in the SDK never reads as the
 * nearest line of src/ before it.
 */
export function trimSourceMap(
  map: SourceMapJson,
  keep: (source: string) => boolean,
): SourceMapJson {
  const sources: string[] = []
  const names: string[] = []
  const sourceIndex = new Map<number, number>()
  const nameIndex = new Map<number, number>()
  const lines = decodeMappings(map.mappings).map((segments) => {
    const kept: Segment[] = []
    let mapped = false
    for (const [column = 0, source, line, sourceColumn, name] of segments) {
      const file = source === undefined ? undefined : map.sources[source]
      if (file === undefined || !keep(file)) {
        if (mapped) kept.push([column])
        mapped = false
        continue
      }
      if (!sourceIndex.has(source as number))
        sourceIndex.set(source as number, sources.push(file) - 1)
      const segment = [column, sourceIndex.get(source as number) ?? 0, line ?? 0, sourceColumn ?? 0]
      if (name !== undefined) {
        const text = map.names[name] ?? ''
        if (!nameIndex.has(name)) nameIndex.set(name, names.push(text) - 1)
        segment.push(nameIndex.get(name) ?? 0)
      }
      kept.push(segment)
      mapped = true
    }
    return kept
  })
  // Node's reader takes a segment without a source at the very end of the mappings for a
  // mapped one; an empty line after it keeps it an end.
  if (lines.at(-1)?.at(-1)?.length === 1) lines.push([])
  return { version: 3, file: map.file, sources, names, mappings: encodeMappings(lines) }
}
