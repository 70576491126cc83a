// Repository patterns: the `repository` input may name many repositories with `*`, which
// matches any run of characters within a name and across `/` (`team/*` takes `team/api` and
// `team/api/worker`). Everything else is ECR's repository name grammar.

/** The characters between separators of an ECR repository name, with `*` allowed among them. */
const PATTERN_PART = '[a-z0-9*]+(?:(?:[._]|__|-+)[a-z0-9*]+)*'
const PATTERN = new RegExp(`^(?:${PATTERN_PART}/)*${PATTERN_PART}$`)

/** The longest repository name ECR accepts, so the longest pattern worth writing. */
const MAX_LENGTH = 256

/** True when `value` asks for several repositories: it has a `*`. */
export function isRepositoryPattern(value: string): boolean {
  return value.includes('*')
}

/**
 * Whether `pattern` is a valid pattern: ECR's repository name grammar (lower-case letters and
 * digits, parts joined by `.`, `_`, `__` or runs of `-`, namespaces joined by `/`) where any
 * letter may be `*`, at most 256 characters.
 */
export function isValidPattern(pattern: string): boolean {
  return pattern.length <= MAX_LENGTH && PATTERN.test(pattern)
}

/**
 * A matcher for repository names: `*` matches any characters, `/` included; the rest matches
 * itself, the whole name (`team/*` does not take `team`, nor `other/team/api`).
 */
export function repositoryMatcher(pattern: string): (repositoryName: string) => boolean {
  const source = pattern
    .split('*')
    .map((literal) => literal.replace(/[.]/g, '\\.'))
    .join('.*')
  const regex = new RegExp(`^${source}$`)
  return (repositoryName) => regex.test(repositoryName)
}
