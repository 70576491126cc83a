// Where the action's messages go: a port that main connects to the runner and tests record.

/** The four kinds of line the action writes; main connects them to the runner. */
export interface Log {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
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
