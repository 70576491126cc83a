// Every requested image of one step: a bounded number at once, each scanned on its own.

import pLimit from 'p-limit'
import { errorDetails } from '../kernel/errors.js'
import { mappedStack } from '../kernel/stack.js'
import { formatImage } from '../kernel/image-ref.js'
import { bufferedLog, writeGroup, type Log } from '../kernel/log.js'
import { scanImage, type ScanDeps, type ScanOutcome } from './image.js'
import type { ImageRequest, ScanSettings } from '../inputs/settings.js'

/**
 * Scans `images`, `settings.concurrency` at once: one outcome per image, or per platform of an
 * index, in the order the images were given and platforms in the index's order. `finish` turns
 * each outcome into what the caller keeps (its facts and verdict) as soon as that image is done.
 */
export async function scanAll<T>(
  images: ImageRequest[],
  settings: ScanSettings,
  deps: ScanDeps,
  finish: (outcome: ScanOutcome) => T,
): Promise<T[]> {
  const limit = pLimit(settings.concurrency)
  const perImage = await Promise.all(
    images.map((request) =>
      limit(async () => {
        const title = `${formatImage(request.target)} (${request.region})`
        const outcomes = await (images.length === 1
          ? grouped(deps.log, title, () => scanImage(request, settings, deps))
          : buffered(deps.log, title, (log) => scanImage(request, settings, { ...deps, log })))
        return outcomes.map((outcome) => {
          // The verdict keeps the error's words; the debug log keeps its stack and causes.
          if (outcome.error !== undefined) deps.log.debug(errorDetails(outcome.error, mappedStack))
          return finish(outcome)
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
