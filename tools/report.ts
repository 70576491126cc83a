// A readable report of one action run for a terminal: the log with workflow commands shown the
// way the runner shows them (and secrets masked as it masks them), the outputs, and the job
// summary with its HTML tables laid out as aligned text. Also the summary as an HTML page.
import { isAbsolute, relative } from 'node:path'
import { styleText } from 'node:util'
import { Marked } from 'marked'
import stringWidth from 'string-width'
import type { ActionRun } from './runner.ts'

type Format = Parameters<typeof styleText>[0]
/** Styles text for the terminal; `plain` for files and tests. */
export type Paint = (format: Format, text: string) => string

export const plain: Paint = (_format, text) => text
// styleText leaves the text plain when stdout is not a terminal, or NO_COLOR is set.
export const terminal: Paint = (format, text) => styleText(format, text)

export interface WorkflowCommand {
  name: string
  /** The command's properties (`title`, `file`, `line` …), unescaped. */
  properties: Record<string, string>
  /** The command's data, unescaped. */
  data: string
}

/**
 * `::name key=value,…::data` at the start of a log line, read as the runner reads it
 * (actions/runner, ActionCommand.TryParseV2): leading blanks ignored, the data after the first
 * `::` that follows the name, properties split at `,` and then at their first `=`.
 */
export function parseCommand(line: string): WorkflowCommand | undefined {
  const message = line.trimStart()
  if (!message.startsWith('::')) return undefined
  const end = message.indexOf('::', 2)
  if (end < 0) return undefined
  const info = message.slice(2, end)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!/^[A-Za-z][\w-]*$/.test(name)) return undefined
  const properties: Record<string, string> = {}
  const list = space < 0 ? '' : info.slice(space + 1).trim()
  for (const property of list.split(',')) {
    const equals = property.indexOf('=')
    // The runner drops a property without a name or a value.
    if (equals > 0 && equals < property.length - 1) {
      properties[property.slice(0, equals)] = unescapeProperty(property.slice(equals + 1))
    }
  }
  return { name, properties, data: unescapeData(message.slice(end + 2)) }
}

// The runner's replacements, in its order: exact (case-sensitive) and % last, so that an
// escaped escape (%253A) comes out as the text %3A.
const DATA_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
]
const PROPERTY_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
]

function unescape(text: string, escapes: [string, string][]): string {
  return escapes.reduce((done, [escaped, plain]) => done.split(escaped).join(plain), text)
}

/** Undoes @actions/core's escaping of command data, as the runner does. */
export function unescapeData(data: string): string {
  return unescape(data, DATA_ESCAPES)
}

/** Undoes @actions/core's escaping of a property value (`title=a%3Ab` is `a:b`), as the runner does. */
export function unescapeProperty(value: string): string {
  return unescape(value, PROPERTY_ESCAPES)
}

/**
 * Hides every value the log asked to mask (`::add-mask::`), as the runner does, and makes
 * control characters visible so that text from ECR cannot restyle or rewrite the terminal.
 */
export class Masker {
  readonly #secrets: string[] = []

  add(secret: string): void {
    if (secret && !this.#secrets.includes(secret)) this.#secrets.push(secret)
  }

  mask(text: string): string {
    let masked = text
    for (const secret of this.#secrets) masked = masked.split(secret).join('***')
    // eslint-disable-next-line no-control-regex
    return masked.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
    })
  }
}

const COMMAND_STYLE: Record<string, { label: string; format: Format }> = {
  error: { label: '✖ error', format: 'red' },
  warning: { label: '⚠ warning', format: 'yellow' },
  notice: { label: 'ℹ notice', format: 'cyan' },
  debug: { label: 'debug', format: 'dim' },
}

export interface LogOptions {
  /**
   * Show `::debug::` lines (stacks among them), as the runner does with step debug logging
   * (ACTIONS_STEP_DEBUG / RUNNER_DEBUG); hidden by default, as it hides them.
   */
  debug?: boolean
}

/**
 * One line of the action's stdout as the runner would show it, or undefined for a line it does
 * not show (`::endgroup::`, debug lines without `debug`). An annotation's title comes first,
 * its message on the next line, as GitHub shows an annotation.
 */
export function renderLogLine(
  line: string,
  masker: Masker,
  paint: Paint,
  options: LogOptions = {},
): string | undefined {
  const command = parseCommand(line)
  if (!command) return masker.mask(line)
  const data = masker.mask(command.data).replace(/\r?\n/g, '\n  ')
  switch (command.name) {
    case 'add-mask':
      masker.add(command.data)
      return paint('dim', '(a secret is masked from here on: ***)')
    case 'group':
      return paint('bold', `▾ ${data}`)
    case 'endgroup':
      return undefined
    case 'debug':
      if (!options.debug) return undefined
  }
  const style = COMMAND_STYLE[command.name]
  if (!style) return paint('dim', masker.mask(line))
  const { title, ...others } = command.properties
  const where = Object.entries(others).map(([name, value]) => `${name}=${value}`)
  const shownWhere = where.length ? ` (${masker.mask(where.join(', '))})` : ''
  const heading = title === undefined ? data : `${masker.mask(title)}\n  ${data}`
  return paint(style.format, `${style.label}${shownWhere}: ${heading}`)
}

/**
 * A renderer for the lines of one log, in order: as renderLogLine, with the lines of a group
 * indented under its title, as the runner nests them under a fold.
 */
export function logRenderer(
  masker: Masker,
  paint: Paint,
  options: LogOptions = {},
): (line: string) => string | undefined {
  let grouped = false
  return (line) => {
    const name = parseCommand(line)?.name
    const shown = renderLogLine(line, masker, paint, options)
    const indent = grouped && name !== 'group' ? '  ' : ''
    if (name === 'group') grouped = true
    if (name === 'endgroup') grouped = false
    return shown === undefined ? undefined : indent + shown.replace(/\n/g, `\n${indent}`)
  }
}

export function renderLog(
  stdout: string,
  masker: Masker,
  paint: Paint,
  options: LogOptions = {},
): string[] {
  const lines = stdout.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const render = logRenderer(masker, paint, options)
  return lines.flatMap((line) => render(line) ?? [])
}

// ---- the job summary: GitHub Markdown with HTML tables -------------------------------------

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body.slice(1))
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity
    }
    return ENTITIES[body.toLowerCase()] ?? entity
  })
}

/** Inline HTML to text: bold stays bold, links keep their address unless `links` is false. */
export function inlineText(html: string, paint: Paint, links = true): string {
  const withLinks = html.replace(
    /<a\s+href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi,
    (_all, href: string, label: string) =>
      links ? `${label} ${paint('dim', `(${href})`)}` : label,
  )
  const bold = withLinks.replace(/<(b|strong)>([\s\S]*?)<\/\1>/gi, (_all, _tag, inner: string) =>
    paint('bold', inner),
  )
  return decodeEntities(bold.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]+>/g, ''))
}

interface Cell {
  text: string
  header: boolean
  right: boolean
}

/** An HTML table as aligned columns; a header row is underlined. */
export function tableToText(html: string, paint: Paint): string[] {
  const rows: Cell[][] = [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/gi)].map(([, row = '']) =>
    [...row.matchAll(/<(th|td)([^>]*)>([\s\S]*?)<\/\1>/gi)].map(
      ([, tag = '', attributes = '', content = '']) => ({
        text: inlineText(content, paint, false),
        header: tag.toLowerCase() === 'th',
        right: /align="right"/i.test(attributes),
      }),
    ),
  )
  const columns = Math.max(0, ...rows.map((row) => row.length))
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...rows.map((row) => stringWidth(row[column]?.text ?? ''))),
  )
  const lines: string[] = []
  rows.forEach((row, index) => {
    const cells = row.map((cell, column) => {
      const padding = ' '.repeat((widths[column] ?? 0) - stringWidth(cell.text))
      const padded = cell.right ? padding + cell.text : cell.text + padding
      return cell.header ? paint('bold', padded) : padded
    })
    lines.push(cells.join('  ').trimEnd())
    const headerRow = index === 0 && rows.length > 1 && row.every((cell) => cell.header)
    if (headerRow) lines.push(paint('dim', widths.map((width) => '─'.repeat(width)).join('  ')))
  })
  return lines
}

/**
 * GitHub's alert blocks: title, terminal style, and the colours of its light theme (the left
 * border, then the title), as github.com's Markdown stylesheet gives them.
 */
const ALERTS: Record<string, { title: string; icon: string; format: Format; colors: string[] }> = {
  NOTE: { title: 'Note', icon: 'ℹ', format: 'cyan', colors: ['#0969da', '#0969da'] },
  TIP: { title: 'Tip', icon: '✱', format: 'green', colors: ['#1f883d', '#1a7f37'] },
  IMPORTANT: { title: 'Important', icon: '!', format: 'magenta', colors: ['#8250df', '#8250df'] },
  WARNING: { title: 'Warning', icon: '⚠', format: 'yellow', colors: ['#9a6700', '#9a6700'] },
  CAUTION: { title: 'Caution', icon: '✖', format: 'red', colors: ['#cf222e', '#d1242f'] },
}

/**
 * The alert a blockquote's first line opens (`[!CAUTION]` alone on it, any case), as GitHub reads
 * it; undefined for a plain quote, such as one of an unknown kind or with text after the marker.
 */
export function alertKind(firstLine: string): string | undefined {
  const kind = /^\[!(\w+)\][ \t]*$/.exec(firstLine)?.[1]?.toUpperCase()
  return kind !== undefined && kind in ALERTS ? kind : undefined
}

/** The job summary as a terminal shows it best: headings, alerts and aligned tables. */
export function summaryToText(markdown: string, paint: Paint): string[] {
  const lines = markdown.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (/^\s*<table[\s>]/i.test(line)) {
      const block = [line]
      while (i + 1 < lines.length && !/<\/table>/i.test(block.at(-1) ?? ''))
        block.push(lines[++i] ?? '')
      out.push(...tableToText(block.join('\n'), paint))
      continue
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      out.push(paint(['bold', 'underline'], inlineText(heading[2] ?? '', paint)))
      continue
    }
    const kind = /^>/.test(line) ? alertKind(line.replace(/^>\s*/, '')) : undefined
    const alert = kind === undefined ? undefined : ALERTS[kind]
    if (alert) {
      const body: string[] = []
      while (i + 1 < lines.length && /^>/.test(lines[i + 1] ?? '')) {
        body.push((lines[++i] ?? '').replace(/^>\s?/, ''))
      }
      const text = inlineText(body.join(' ').trim(), paint)
      out.push(paint(alert.format, `${alert.icon} ${alert.title}: ${text}`))
      continue
    }
    out.push(inlineText(line.replace(/^>\s?/, '│ '), paint))
  }
  while (out.at(-1) === '') out.pop()
  return out
}

// GitHub's Markdown: alert blocks as github.com renders them (markdown-alert classes).
const githubMarkdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    blockquote({ tokens }) {
      const inner = this.parser.parse(tokens)
      const first = tokens[0]
      const kind =
        first?.type === 'paragraph' ? alertKind(first.raw.split('\n')[0] ?? '') : undefined
      if (kind === undefined) return `<blockquote>\n${inner}</blockquote>\n`
      const body = inner.replace(/^<p>[^\n<]*(?:\n|<\/p>\n?)/, (opening) =>
        opening.endsWith('\n') && !opening.endsWith('</p>\n') ? '<p>' : '',
      )
      const { title, icon } = ALERTS[kind] ?? ALERTS.NOTE!
      return `<div class="markdown-alert markdown-alert-${kind.toLowerCase()}">\n<p class="markdown-alert-title">${icon} ${title}</p>\n${body}</div>\n`
    },
  },
})

/** Markdown as GitHub renders it in a job summary: GFM, with its alert blocks. */
export function githubHtml(markdown: string): string {
  return githubMarkdown.parse(markdown) as string
}

const ALERT_STYLES = Object.entries(ALERTS)
  .map(([kind, { colors }]) => {
    const name = `.markdown-alert-${kind.toLowerCase()}`
    return `  ${name} { border-left-color: ${colors[0]}; }\n  ${name} .markdown-alert-title { color: ${colors[1]}; }`
  })
  .join('\n')

/** The summary as a page a person can open in a browser (GitHub renders the same Markdown). */
export function summaryHtml(markdown: string, title: string): string {
  const body = githubHtml(markdown)
  const escapedTitle = title.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapedTitle}</title>
<style>
  body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2328; }
  table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
  th, td { border: 1px solid #d1d9e0; padding: 0.3rem 0.7rem; }
  th { background: #f6f8fa; }
  blockquote { border-left: 0.25rem solid #d1d9e0; margin: 0.5rem 0; padding: 0 1rem; color: #59636e; }
  .markdown-alert { border-left: 0.25em solid; margin: 0 0 1rem; padding: 0.5rem 1rem; }
  .markdown-alert > :last-child { margin-bottom: 0; }
  .markdown-alert-title { font-weight: 500; line-height: 1; margin: 0 0 0.5rem; }
${ALERT_STYLES}
  code { background: #eff1f3; padding: 0.1rem 0.3rem; border-radius: 4px; }
  section + section { border-top: 1px solid #d1d9e0; margin-top: 2rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`
}

/** `path` as a person types it from the folder `from`: relative inside it, absolute outside. */
export function displayPath(path: string, from: string): string {
  const inside = relative(from, path)
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path
}

// ---- one run -------------------------------------------------------------------------------

export interface RunReport {
  /** What ran, e.g. the demo case's name. */
  title: string
  /** What the run shows, in a line. */
  about?: string
  inputs: Record<string, string>
  /** Lines already shown live (npm run local streams the log); the report leaves them out. */
  logShown?: boolean
  /** Show the action's debug lines, as the runner does with step debug logging. */
  debug?: boolean
  /** Where every output is written in full, named when a long one is shortened here. */
  outputsFile?: string
}

function section(name: string, paint: Paint): string {
  return paint('bold', `${name}:`)
}

/** The readable report of one run: inputs, log, outputs, summary and exit status. */
export function renderRun(
  run: ActionRun,
  report: RunReport,
  paint: Paint,
  masker = new Masker(),
): string {
  const out: string[] = []
  const indent = (lines: string[]): string[] =>
    lines.map((line) => `  ${line.replace(/\n/g, '\n  ')}`)
  out.push(paint(['bold', 'inverse'], ` ${report.title} `))
  if (report.about) out.push(paint('italic', report.about))
  out.push(section('inputs', paint))
  out.push(...indent(alignedPairs(report.inputs, masker)))
  out.push(paint('dim', "  (the others: action.yml's defaults, as the runner passes them)"))
  if (!report.logShown) {
    out.push(section('log', paint))
    out.push(...indent(renderLog(run.stdout, masker, paint, { debug: report.debug })))
  }
  if (run.stderr.trim()) {
    out.push(section('stderr', paint))
    out.push(
      ...indent(
        run.stderr
          .trimEnd()
          .split('\n')
          .map((line) => paint('red', masker.mask(line))),
      ),
    )
  }
  out.push(section('outputs', paint))
  const shortened = Object.fromEntries(
    Object.entries(run.outputs).map(([name, value]) => [name, shortenJson(value) ?? value]),
  )
  out.push(...indent(Object.keys(shortened).length ? alignedPairs(shortened, masker) : ['(none)']))
  if (Object.entries(shortened).some(([name, value]) => value !== run.outputs[name])) {
    const where = report.outputsFile ? `: every output in full in ${report.outputsFile}` : ''
    out.push(paint('dim', `  (long JSON shortened${where})`))
  }
  out.push(section('job summary', paint))
  out.push(
    ...indent(run.summary.trim() ? summaryToText(masker.mask(run.summary), paint) : ['(empty)']),
  )
  const status = run.exitSignal ? `killed by ${run.exitSignal}` : `exit code ${run.exitCode}`
  out.push(paint('dim', `${status} after ${(run.durationMs / 1000).toFixed(1)} s`))
  return out.join('\n')
}

/** Outputs longer than this, in characters, are shortened when they are JSON. */
export const OUTPUT_WIDTH = 100

/**
 * A JSON object or list (such as the `results` output) longer than `width` characters, cut to
 * `width` after saying what it holds: `JSON list, 2 items, 1,187 characters: [{"image":…`.
 * Undefined for any other value, which is shown as it is.
 */
export function shortenJson(value: string, width = OUTPUT_WIDTH): string | undefined {
  if (value.length <= width || !/^\s*[[{]/.test(value)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined
  const count = Array.isArray(parsed) ? parsed.length : Object.keys(parsed).length
  const what = `${Array.isArray(parsed) ? 'list' : 'object'}, ${count} ${Array.isArray(parsed) ? 'item' : 'key'}${count === 1 ? '' : 's'}`
  return `JSON ${what}, ${value.length.toLocaleString('en')} characters: ${value.slice(0, width)}…`
}

function alignedPairs(values: Record<string, string>, masker: Masker): string[] {
  const width = Math.max(0, ...Object.keys(values).map((name) => name.length))
  return Object.entries(values).map(
    ([name, value]) =>
      `${name.padEnd(width)}  ${masker.mask(value).replace(/\n/g, `\n${' '.repeat(width + 4)}`)}`,
  )
}
