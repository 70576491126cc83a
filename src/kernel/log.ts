// Where the action's messages go: a port that main connects to the runner and tests record.

/** The four kinds of line the action writes; main connects them to the runner. */
export interface Log {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Opens a collapsible group (the runner's ::group::); logs without groups leave it out. */
  startGroup?(title: string): void
  endGroup?(): void
}

/** The same log, each line starting with `[label] `: images scanned at once interleave. */
export function labelled(log: Log, label: string): Log {
  const prefix = (message: string): string => `[${label}] ${message}`
  return {
    info: (message) => log.info(prefix(message)),
    notice: (message) => log.notice(prefix(message)),
    warning: (message) => log.warning(prefix(message)),
    debug: (message) => log.debug(prefix(message)),
  }
}

/** One line a Log was given, kept to be written later. */
export interface LogLine {
  level: 'info' | 'notice' | 'warning' | 'debug'
  message: string
}

/**
 * A Log that keeps its lines instead of writing them: each image's lines are written together
 * when it is done, so images scanned at once do not interleave inside a group.
 */
export function bufferedLog(): { log: Log; lines: LogLine[] } {
  const lines: LogLine[] = []
  const keep =
    (level: LogLine['level']) =>
    (message: string): void => {
      lines.push({ level, message })
    }
  return {
    lines,
    log: {
      info: keep('info'),
      notice: keep('notice'),
      warning: keep('warning'),
      debug: keep('debug'),
    },
  }
}

/** Writes kept lines to `log`, in a collapsible group titled `title` where the log has groups. */
export function writeGroup(log: Log, title: string, lines: LogLine[]): void {
  if (lines.length === 0) return
  log.startGroup?.(title)
  for (const line of lines) log[line.level](line.message)
  log.endGroup?.()
}
