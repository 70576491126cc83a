// The runner's INPUT_ variables checked against action.yml's inputs. The runner sets one for
// every key of the step's `with:` block, declared or not (upper-cased, spaces as `_`, dashes
// kept), so a misspelled input reaches the action only as a variable nobody reads: a gate
// such as fail-on-severity would silently be off. Pure: the environment in, what it holds out.

import { InputError } from '../kernel/errors.js'
import { Inputs, type InputName } from '../kernel/names.js'
import { shown } from '../kernel/text.js'

/** A name of the step's `with:` block that is not an input, and what it most likely meant. */
export type UnknownInput =
  /** A near-miss (see nearMisses) of these inputs, closest first. */
  | { kind: 'misspelled'; name: string; meant: InputName[] }
  /** The input itself, spelled with `_` or in camelCase: `fail_on_severity`, `failOnSeverity`. */
  | { kind: 'separators'; name: string; meant: InputName }
  /** Close to no input. */
  | { kind: 'unknown'; name: string }

export interface InputVariables {
  /** Names that fail the step, sorted; `name` in lower case, as the workflow most likely wrote it. */
  unknown: UnknownInput[]
  /**
   * INPUT_ variables with no dash that are no near-miss of an input: most likely set by the
   * job's `env:`, so they are left alone (the debug log names them). Full variable names, sorted.
   */
  stray: string[]
}

const PREFIX = 'INPUT_'
const DECLARED: readonly InputName[] = Object.values(Inputs)

/**
 * Sorts the environment's INPUT_ variables. A variable is fine when it is a declared input's
 * (compared without regard to case). Otherwise its name (lower-cased) is:
 * - `separators` when, lower-cased and without `-` and `_`, it equals a declared input so
 *   written (`INPUT_FAIL_ON_SEVERITY`, `INPUT_FAILONSEVERITY`);
 * - `misspelled` when it is a near-miss of some input (nearMisses);
 * - `unknown` when it has a `-` (job `env:` keys almost never do: the runner made it from `with:`);
 * - stray otherwise: no dash and close to no input, most likely the job's own variable.
 */
export function checkInputVariables(
  env: Record<string, string | undefined>,
  declared: readonly InputName[] = DECLARED,
): InputVariables {
  const known = new Set(declared.map((input) => input.toUpperCase()))
  const unknown: UnknownInput[] = []
  const stray: string[] = []
  for (const variable of Object.keys(env)
    .filter((key) => key.startsWith(PREFIX))
    .sort()) {
    const suffix = variable.slice(PREFIX.length)
    if (known.has(suffix.toUpperCase())) continue
    const name = suffix.toLowerCase()
    const same = declared.find((input) => squeezed(input) === squeezed(name))
    const meant = nearMisses(name, declared)
    if (same) unknown.push({ kind: 'separators', name, meant: same })
    else if (meant.length > 0) unknown.push({ kind: 'misspelled', name, meant })
    else if (name.includes('-')) unknown.push({ kind: 'unknown', name })
    else stray.push(variable)
  }
  return { unknown, stray }
}

/** Shortest tail, in letters, that counts as a near-miss: `id`, `to` and `pr` alone do not. */
const MIN_TAIL_LETTERS = 3

/**
 * The declared inputs `name` is a near-miss of, closest first. `name` is compared lower-cased
 * with `_` read as `-`. It is a near-miss of an input when either:
 * - without dashes, the two are at most 1 edit apart for an input of up to 4 letters (`wait`),
 *   at most 2 for a longer one, and not 0 (that is the same input, spelled differently). An
 *   edit inserts, deletes or replaces one letter, or swaps two adjacent ones (editDistance);
 * - it is a tail of the input: its last one or more dash-separated words (`severity` and
 *   `on-severity` of `fail-on-severity`), not the whole input, of at least 3 letters.
 * The inputs at the smallest distance come first, then the tails, in action.yml's order.
 */
export function nearMisses(name: string, declared: readonly InputName[] = DECLARED): InputName[] {
  const dashed = name.toLowerCase().replace(/_/g, '-')
  const bare = squeezed(dashed)
  const distances = declared
    .map((input) => ({ input, distance: editDistance(bare, squeezed(input)) }))
    .filter(({ input, distance }) => distance > 0 && distance <= maxEdits(squeezed(input)))
  const closest = Math.min(...distances.map(({ distance }) => distance))
  const near = distances.filter(({ distance }) => distance === closest).map(({ input }) => input)
  const tails = declared.filter(
    (input) => isTail(dashed, input) && bare.length >= MIN_TAIL_LETTERS && !near.includes(input),
  )
  return [...near, ...tails]
}

/** Edits allowed between a name and an input of this many letters (dashes removed). */
function maxEdits(input: string): number {
  return input.length <= 4 ? 1 : 2
}

/** `tail` is the last one or more dash-separated words of `input`, but not all of it. */
function isTail(tail: string, input: string): boolean {
  return input.endsWith(`-${tail}`)
}

/** Without `-` and `_` (callers pass lower case): how inputs compare ignoring separators. */
function squeezed(name: string): string {
  return name.replace(/[-_]/g, '')
}

/**
 * Edits from `a` to `b`: insertions, deletions and replacements of one character, and swaps of
 * two adjacent ones, each counting 1 (the optimal-string-alignment Damerau–Levenshtein distance).
 */
export function editDistance(a: string, b: string): number {
  const width = b.length + 1
  // edits[i * width + j]: from a's first i characters to b's first j; each written before read.
  const edits = new Array<number>((a.length + 1) * width)
  const at = (i: number, j: number): number => edits[i * width + j] ?? 0
  for (let i = 0; i <= a.length; i++) edits[i * width] = i
  for (let j = 0; j <= b.length; j++) edits[j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1)
      }
      edits[i * width + j] = best
    }
  }
  return at(a.length, b.length)
}

const FIX = "Fix the name in the step's with: block"
const WHERE = "action.yml lists the action's inputs"

/**
 * The step's one error line for names of `with:` that are not inputs (at least one): one name
 * in a sentence of its own, several named together in one line.
 */
export function unknownInputsError(unknown: [UnknownInput, ...UnknownInput[]]): InputError {
  const [first] = unknown
  const quoted = (name: string): string => `'${shown(name)}'`
  const or = (inputs: InputName[]): string =>
    inputs
      .map(quoted)
      .join(', ')
      .replace(/, ([^,]*)$/, ' or $1')
  if (unknown.length === 1) {
    const subject = `${quoted(first.name)} is not an input of this action`
    switch (first.kind) {
      case 'misspelled':
        return new InputError(first.name, `${subject}; did you mean ${or(first.meant)}? ${FIX}.`)
      case 'separators':
        return new InputError(
          first.name,
          `${subject}: inputs are spelled with dashes, so write ${quoted(first.meant)} in the step's with: block.`,
        )
      case 'unknown':
        return new InputError(first.name, `${subject}, nor close to one. ${FIX}; ${WHERE}.`)
    }
  }
  const each = unknown.map((entry) => {
    switch (entry.kind) {
      case 'misspelled':
        return `${quoted(entry.name)} (did you mean ${or(entry.meant)}?)`
      case 'separators':
        return `${quoted(entry.name)} (spelled with dashes: ${quoted(entry.meant)})`
      case 'unknown':
        return `${quoted(entry.name)} (close to no input; ${WHERE})`
    }
  })
  return new InputError(
    first.name,
    `These names in the step's with: block are not inputs of this action: ${each.join(', ')}. Fix them there.`,
  )
}
