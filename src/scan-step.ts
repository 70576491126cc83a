// Every requested image of one step: a bounded number at once, each judged on its own.

import pLimit from 'p-limit'
import { applyIgnoreRules } from './ignore.js'
import { judge } from './policy.js'
import type { ImageReport } from './model.js'
import { formatImage } from './image-ref.js'
import { labelled } from './log.js'
import { scanImage, type ScanDeps } from './scan-image.js'
import type { IgnoreRule } from './model.js'
import type { Settings } from './settings.js'

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
  const several = settings.images.length > 1
  const perImage = await Promise.all(
    settings.images.map((request) =>
      limit(async () => {
        const log = several ? labelled(deps.log, formatImage(request.target)) : deps.log
        const outcomes = await scanImage(request, settings, { ...deps, log })
        return outcomes.map(({ result, error }) => {
          const kept = applyIgnoreRules(result, ignoreRules)
          return { result: kept, verdict: judge(kept, settings, error) }
        })
      }),
    ),
  )
  return perImage.flat()
}
