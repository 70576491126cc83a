// A pattern step's images: the registry's repositories that match, and in each the images the
// step asks for. Imported only by pattern steps (main.ts loads it on demand), so a step naming
// its images does not carry it.

import pLimit from 'p-limit'
import { listImages, listRepositories } from '../ecr/listing.js'
import { ActionError } from '../kernel/errors.js'
import { countOf } from '../kernel/text.js'
import { explainAwsError } from '../ecr/errors.js'
import type { ImageRequest, WatchSettings } from '../inputs/settings.js'
import { repositoryMatcher } from '../inputs/pattern.js'
import { selectImages, type RepositoryListing, type Selection } from './select.js'
import type { ScanDeps } from './image.js'

/** One step scans at most this many images (the same bound as images named one by one). */
export const MAX_WATCHED_IMAGES = 1000

/** Repositories listed at once: their pages are small requests, held to the rate anyway. */
const LISTING_CONCURRENCY = 8

/**
 * Lists the repositories of `watch`'s registry, keeps those its pattern matches, lists each one's
 * images (every page) and picks the images to scan (select.ts), saying in the log how many of
 * each. Throws an ActionError when no repository matches (naming the pattern and the registry),
 * when the pick is empty, or when it is more than one step scans; AWS errors are explained.
 */
export async function discoverImages(
  watch: WatchSettings,
  deps: Pick<ScanDeps, 'client' | 'clock' | 'log' | 'signal'>,
): Promise<{ images: ImageRequest[]; selection: Selection }> {
  const client = deps.client(watch.region)
  const registry = registryWords(watch)
  const context = {
    repositoryName: watch.pattern,
    region: watch.region,
    registryId: watch.registryId,
  }
  let names: string[]
  try {
    names = await listRepositories(client, watch.registryId, deps.signal)
  } catch (error) {
    throw explainAwsError(error, { image: `repositories matching '${watch.pattern}'`, ...context })
  }
  const matches = repositoryMatcher(watch.pattern)
  const matched = names.filter(matches)
  if (matched.length === 0) {
    throw new ActionError(
      `No repository in ${registry} matches '${watch.pattern}' (${repositories(names.length)} listed).`,
      "Check 'repository', 'registry-id' and 'region'; * matches any characters, / included (team/* matches team/api).",
    )
  }
  const limit = pLimit(LISTING_CONCURRENCY)
  const listings: RepositoryListing[] = await Promise.all(
    matched.map((repositoryName) =>
      limit(async () => {
        try {
          const images = await listImages(client, watch.registryId, repositoryName, deps.signal)
          return { repositoryName, images }
        } catch (error) {
          throw explainAwsError(error, { ...context, image: repositoryName, repositoryName })
        }
      }),
    ),
  )
  const selection = selectImages(listings, watch, deps.clock.now())
  deps.log.info(selectionLine(watch, matched.length, selection))
  if (selection.images.length === 0) {
    throw new ActionError(
      `No image to scan in the ${repositories(matched.length)} matching '${watch.pattern}' in ${registry}: ${emptyReason(watch, selection)}.`,
      watch.pulledWithinDays === undefined
        ? "Check 'image-tag' / 'image-digest'."
        : "Give a longer 'pulled-within', or check the pattern.",
    )
  }
  if (selection.images.length > MAX_WATCHED_IMAGES) {
    throw new ActionError(
      `${selection.images.length} images match '${watch.pattern}' in ${registry}; one step scans at most ${MAX_WATCHED_IMAGES}.`,
      "Narrow the pattern or 'pulled-within', or split the repositories over several steps or jobs.",
    )
  }
  return { images: selection.images, selection }
}

function repositories(count: number): string {
  return `${count} ${count === 1 ? 'repository' : 'repositories'}`
}

/** "registry 123456789012 (eu-west-1)", or the caller's. */
function registryWords(watch: WatchSettings): string {
  return `${watch.registryId ? `registry ${watch.registryId}` : "the caller's registry"} (${watch.region})`
}

/**
 * "143 repositories match 'team/*'; 212 images pulled in the last 7 days (skipped: 3 archived,
 * 40 never pulled, 9 pulled earlier)."
 */
export function selectionLine(watch: WatchSettings, matched: number, selection: Selection): string {
  const repositories = `${matched} ${matched === 1 ? 'repository matches' : 'repositories match'} '${watch.pattern}'`
  const images =
    watch.pulledWithinDays === undefined
      ? `${countOf(selection.images.length, 'image')} with ${[...watch.imageTags, ...watch.imageDigests].join(', ')}`
      : `${countOf(selection.images.length, 'image')} pulled in the last ${countOf(watch.pulledWithinDays, 'day')}`
  const skipped = [
    selection.noSuchImage.length > 0 && `${selection.noSuchImage.length} no such tag`,
    selection.archived > 0 && `${selection.archived} archived`,
    selection.neverPulled > 0 && `${selection.neverPulled} never pulled`,
    selection.notPulledRecently > 0 && `${selection.notPulledRecently} pulled earlier`,
  ].filter(Boolean)
  return `${repositories}; ${images}${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}.`
}

function emptyReason(watch: WatchSettings, selection: Selection): string {
  if (watch.pulledWithinDays !== undefined) {
    return `none was pulled in the last ${countOf(watch.pulledWithinDays, 'day')} (${selection.neverPulled} never pulled, ${selection.notPulledRecently} pulled earlier, ${selection.archived} archived)`
  }
  return `none has ${[...watch.imageTags, ...watch.imageDigests].join(', ')}${selection.archived > 0 ? ` (${selection.archived} archived)` : ''}`
}
