// Everything that reaches the summary from ECR or the user passes through here: it must not
// inject HTML, break a table, or grow the summary past GitHub's 1 MiB.

import { plainLine } from '../kernel/text.js'

/** On one line and at most `max` characters (plainLine), then HTML-escaped. */
export function text(value: string | number | undefined, max = 200): string {
  if (value === undefined) return ''
  return plainLine(`${value}`, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
}

/** A link when `url` is http(s), else just the escaped label. */
export function link(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url) || url.length > 2000) return label
  return `<a href="${text(url, 2000)}">${label}</a>`
}
