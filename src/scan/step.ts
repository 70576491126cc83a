// Every requested image of one step: a bounded number at once, each judged on its own.

import pLimit from 'p-limit'
import { errorDetails } from '../kernel/errors.js'
import { applyIgnoreRules } from '../facts/ignore.js'
import { mappedStack } from '../kernel/stack.js'
import { judge } from '../verdict/judge.js'
import type { ImageReport } from '../kernel/model.js'
import { formatImage } from '../kernel/image-ref.js'
import { bufferedLog, writeGroup, type Log } from '../kernel/log.js'
import { scanImage, type ScanDeps } from './image.js'
import type { IgnoreRule } from '../kernel/model.js'
import type { Settings } from '../inputs/settings.js'

/**
 * Reports in the order the images were given, platforms in the index's order; `ignoreRules`
 * (the unexpired ones) are applied before each verdict.
 */
export async function scanAll(
  settings: Settings,
  ignoreRules: IgnoreRule[],
  deps: ScanDeps,
): Promise<ImageReport[]> {
  const limit = pLimit(settings.concurrency)
  const perImage = await Promise.all(
    settings.images.map((request) =>
      limit(async () => {
        const title = `${formatImage(request.target)} (${request.region})`
        const outcomes = await (settings.images.length === 1
          ? grouped(deps.log, title, () => scanImage(request, settings, deps))
          : buffered(deps.log, title, (log) => scanImage(request, settings, { ...deps, log })))
        return outcomes.map(({ result, error }) => {
          // The verdict keeps the error's words; the debug log keeps its stack and causes.
          if (error !== undefined) deps.log.debug(errorDetails(error, mappedStack))
          const kept = applyIgnoreRules(result, ignoreRules)
          return { result: kept, verdict: judge(kept, settings, error) }
        })
      }),
    ),
  )
  return perImage.flat()
}

/** One image alone: its lines stream live inside its group. */
async function grouped<T>(log: Log, title: string, work: () => Promise<T>): Promise<T> {
  log.startGroup?.(title)
  try {
    return await work()
  } finally {
    log.endGroup?.()
  }
}

/**
 * One of several images scanned at once: its lines are kept and written as one group when it
 * is done, so the images' lines do not interleave inside a group.
 */
async function buffered<T>(log: Log, title: string, work: (log: Log) => Promise<T>): Promise<T> {
  const buffer = bufferedLog()
  try {
    return await work(buffer.log)
  } finally {
    writeGroup(log, title, buffer.lines)
  }
}
