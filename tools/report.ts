// A readable report of one action run for a terminal: the log with workflow commands shown the
// way the runner shows them (and secrets masked as it masks them), the outputs, and the job
// summary with its HTML tables laid out as aligned text. Also the summary as an HTML page.
import { styleText } from 'node:util'
import { marked } from 'marked'
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
  properties: string
  /** The command's data, unescaped. */
  data: string
}

/** `::name key=value,…::data` at the start of a log line, as the runner reads it. */
export function parseCommand(line: string): WorkflowCommand | undefined {
  const match = /^::([A-Za-z][\w-]*)(?: ([^:]*))?::(.*)$/.exec(line)
  if (!match) return undefined
  const [, name = '', properties = '', data = ''] = match
  return { name, properties, data: unescapeData(data) }
}

/** Undoes @actions/core's escaping of command data (% first when escaping, so last here). */
export function unescapeData(data: string): string {
  return data.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
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

/** One line of the action's stdout, as the runner would show it. */
export function renderLogLine(line: string, masker: Masker, paint: Paint): string {
  const command = parseCommand(line)
  if (!command) return masker.mask(line)
  if (command.name === 'add-mask') {
    masker.add(command.data)
    return paint('dim', '(a secret is masked from here on: ***)')
  }
  const style = COMMAND_STYLE[command.name]
  const data = masker.mask(command.data).replace(/\r?\n/g, '\n    ')
  if (!style) return paint('dim', masker.mask(line))
  const where = command.properties ? ` (${masker.mask(command.properties)})` : ''
  return paint(style.format, `${style.label}${where}: ${data}`)
}

export function renderLog(stdout: string, masker: Masker, paint: Paint): string[] {
  const lines = stdout.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.map((line) => renderLogLine(line, masker, paint))
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

const ALERTS: Record<string, { icon: string; format: Format }> = {
  CAUTION: { icon: '✖', format: 'red' },
  WARNING: { icon: '⚠', format: 'yellow' },
  IMPORTANT: { icon: '!', format: 'magenta' },
  NOTE: { icon: 'ℹ', format: 'cyan' },
  TIP: { icon: 'ℹ', format: 'green' },
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
    const alert = /^>\s*\[!(\w+)\]\s*$/.exec(line)
    if (alert) {
      const kind = (alert[1] ?? '').toUpperCase()
      const body: string[] = []
      while (i + 1 < lines.length && /^>/.test(lines[i + 1] ?? '')) {
        body.push((lines[++i] ?? '').replace(/^>\s?/, ''))
      }
      const style = ALERTS[kind] ?? { icon: '>', format: 'dim' }
      out.push(paint(style.format, `${style.icon} ${kind}: ${inlineText(body.join(' '), paint)}`))
      continue
    }
    out.push(inlineText(line.replace(/^>\s?/, '│ '), paint))
  }
  while (out.at(-1) === '') out.pop()
  return out
}

/** The summary as a page a person can open in a browser (GitHub renders the same Markdown). */
export function summaryHtml(markdown: string, title: string): string {
  const alerts = markdown.replace(/^>\s*\[!(\w+)\]\s*$/gm, (_all, kind: string) => {
    return `> **${kind.charAt(0)}${kind.slice(1).toLowerCase()}**`
  })
  const body = marked.parse(alerts, { async: false, gfm: true })
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

// ---- one run -------------------------------------------------------------------------------

export interface RunReport {
  /** What ran, e.g. the demo case's name. */
  title: string
  /** What the run shows, in a line. */
  about?: string
  inputs: Record<string, string>
  /** Lines already shown live (npm run local streams the log); the report leaves them out. */
  logShown?: boolean
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
  const indent = (lines: string[]): string[] => lines.map((line) => `  ${line}`)
  out.push(paint(['bold', 'inverse'], ` ${report.title} `))
  if (report.about) out.push(paint('italic', report.about))
  out.push(section('inputs', paint))
  out.push(...indent(alignedPairs(report.inputs, masker)))
  out.push(paint('dim', "  (the others: action.yml's defaults, as the runner passes them)"))
  const log = renderLog(run.stdout, masker, paint)
  if (!report.logShown) {
    out.push(section('log', paint))
    out.push(...indent(log))
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
  out.push(
    ...indent(Object.keys(run.outputs).length ? alignedPairs(run.outputs, masker) : ['(none)']),
  )
  out.push(section('job summary', paint))
  out.push(
    ...indent(run.summary.trim() ? summaryToText(masker.mask(run.summary), paint) : ['(empty)']),
  )
  const status = run.exitSignal ? `killed by ${run.exitSignal}` : `exit code ${run.exitCode}`
  out.push(paint('dim', `${status} after ${(run.durationMs / 1000).toFixed(1)} s`))
  return out.join('\n')
}

function alignedPairs(values: Record<string, string>, masker: Masker): string[] {
  const width = Math.max(0, ...Object.keys(values).map((name) => name.length))
  return Object.entries(values).map(
    ([name, value]) =>
      `${name.padEnd(width)}  ${masker.mask(value).replace(/\n/g, `\n${' '.repeat(width + 4)}`)}`,
  )
}
