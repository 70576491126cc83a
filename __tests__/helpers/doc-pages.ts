// The documentation a user reads (README.md and every page in docs/), split into its fenced code
// blocks, for the tests that parse, check and run its examples.
import { readFileSync, readdirSync } from 'node:fs'
import { Lexer, walkTokens, type Tokens } from 'marked'

export interface Page {
  /** Path from the repository root: `README.md`, `docs/iam.md`. */
  file: string
  text: string
}

export interface CodeBlock {
  file: string
  lang: string
  text: string
  /** The heading above the block, as written. */
  heading: string
  /** `README.md "Quick start" block 1`: the file, the heading above, and the block's number there. */
  label: string
}

/** README.md, then docs/*.md in name order. */
export function documentationPages(root = '.'): Page[] {
  const docs = readdirSync(`${root}/docs`)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`)
  return ['README.md', ...docs].map((file) => ({
    file,
    text: readFileSync(`${root}/${file}`, 'utf8'),
  }))
}

/** The fenced code blocks of a page, each labelled with its file and the heading above it. */
export function codeBlocks(page: Page): CodeBlock[] {
  const blocks: CodeBlock[] = []
  let heading = '(top)'
  let count = 0
  walkTokens(new Lexer().lex(page.text), (token) => {
    if (token.type === 'heading') {
      heading = (token as Tokens.Heading).text
      count = 0
    } else if (token.type === 'code') {
      const code = token as Tokens.Code
      count += 1
      blocks.push({
        file: page.file,
        lang: code.lang ?? '',
        text: code.text,
        heading,
        label: `${page.file} "${heading}" block ${count}`,
      })
    }
  })
  return blocks
}

/** The repository as package.json names it: the one place its address is written. */
export function repository(root = '.'): { url: string; owner: string; name: string } {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
    repository: { url: string }
  }
  const match = /^git\+(https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?))\.git$/.exec(
    pkg.repository.url,
  )
  if (!match) throw new Error(`package.json's repository.url is not git+https://github.com/…`)
  return { url: match[1] as string, owner: match[2] as string, name: match[3] as string }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * This action as the examples reference it: OWNER/NAME (package.json's repository) at a release's
 * commit SHA (the placeholder `<40-hex-sha>`, or 40 hex digits), or `./` in its own repository.
 */
export function thisActionPattern(root = '.'): RegExp {
  const { owner, name } = repository(root)
  return new RegExp(`^(?:${escape(owner)}/${escape(name)}@(?:<40-hex-sha>|[0-9a-f]{40})|\\./?)$`)
}
