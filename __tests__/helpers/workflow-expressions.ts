// A small part of GitHub's expression language, enough for the documentation's gates:
// `needs.X.outputs.Y` and `steps.X.outputs.Y`, strings in single quotes, `==`, `!=`, `&&` and
// `||`. Anything else is refused, so a test can never misread an expression it does not know.

/** Where an expression finds `needs.X.outputs.Y` / `steps.X.outputs.Y`; '' when unset, as on GitHub. */
export type OutputLookup = (context: 'needs' | 'steps', owner: string, name: string) => string

type Token =
  | { kind: 'output'; context: 'needs' | 'steps'; owner: string; name: string }
  | { kind: 'string'; value: string }
  | { kind: '==' | '!=' | '&&' | '||' }

const TOKEN =
  /\s*(?:(needs|steps)\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)|'((?:[^']|'')*)'|(==|!=|&&|\|\|))/y

function tokens(expression: string): Token[] {
  const list: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break
    const at = TOKEN.lastIndex
    const match = TOKEN.exec(expression)
    if (!match) {
      throw new Error(`unsupported expression: '${expression}' at '${expression.slice(at).trim()}'`)
    }
    const [, context, owner, name, string, operator] = match
    if (context) {
      list.push({
        kind: 'output',
        context: context as 'needs' | 'steps',
        owner: owner!,
        name: name!,
      })
    } else if (string !== undefined) {
      list.push({ kind: 'string', value: string.replace(/''/g, "'") })
    } else {
      list.push({ kind: operator as '==' | '!=' | '&&' | '||' })
    }
  }
  return list
}

/** The expression inside `${{ … }}`, or the whole text when it is not wrapped (as `if:` allows). */
function unwrap(text: string): string {
  const match = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text)
  return match ? (match[1] as string) : text
}

/**
 * Evaluates an `if:` of the form `A == 'v' && B != 'w' || …` (`&&` binds tighter than `||`, as
 * on GitHub). Strings compare ignoring case, as GitHub compares them. Throws on anything else:
 * functions, parentheses, `!`, a bare value without a comparison.
 */
export function evaluateCondition(text: string, lookup: OutputLookup): boolean {
  const expression = unwrap(text)
  const list = tokens(expression)
  let position = 0
  const refuse = (why: string): never => {
    throw new Error(`unsupported expression: '${expression.trim()}' (${why})`)
  }
  const operand = (): string => {
    const token = list[position++]
    if (token?.kind === 'output') return lookup(token.context, token.owner, token.name)
    if (token?.kind === 'string') return token.value
    return refuse('expected an output or a quoted string')
  }
  const comparison = (): boolean => {
    const left = operand()
    const operator = list[position++]
    if (operator?.kind !== '==' && operator?.kind !== '!=') return refuse('expected == or !=')
    const equal = left.toLowerCase() === operand().toLowerCase()
    return operator.kind === '==' ? equal : !equal
  }
  const all = (): boolean => {
    let value = comparison()
    while (list[position]?.kind === '&&') {
      position++
      value = comparison() && value
    }
    return value
  }
  let value = all()
  while (list[position]?.kind === '||') {
    position++
    value = all() || value
  }
  if (position !== list.length) refuse('unexpected text after the comparison')
  return value
}

/** A value that is exactly one `${{ steps.X.outputs.Y }}` (a job output), read with `lookup`. */
export function evaluateOutputReference(text: string, lookup: OutputLookup): string {
  const list = tokens(unwrap(text))
  const [token] = list
  if (list.length !== 1 || token?.kind !== 'output' || !/^\s*\$\{\{/.test(text)) {
    throw new Error(`unsupported job output: '${text}' (expected \${{ steps.X.outputs.Y }})`)
  }
  return lookup(token.context, token.owner, token.name)
}
