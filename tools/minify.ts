// How the action's bundle is minified, shared by the build and the benchmark's reference bundles
// so that both are compared as equals.
import { minify } from 'terser'

const keepNames = { keep_classnames: true, keep_fnames: true }

/**
 * `code` (one script ncc emitted, an ES module) minified as ncc's `--minify` does (terser, the
 * names of functions and classes kept: errors and the AWS SDK read them) and also compressed,
 * which ncc leaves off: dead branches and long forms go, about 10 % of the bundle. Given ncc's
 * source map (JSON text), returns the map chained through terser, for `${file}.map`.
 * Throws when terser fails or returns nothing.
 */
export async function minifyScript(
  code: string,
  file: string,
  map?: string,
): Promise<{ code: string; map?: string }> {
  const out = await minify(code, {
    module: true,
    compress: keepNames,
    mangle: keepNames,
    sourceMap: map === undefined ? false : { content: map, url: `${file}.map` },
  })
  if (out.code === undefined) throw new Error(`terser returned no code for ${file}`)
  if (map === undefined) return { code: out.code }
  if (typeof out.map !== 'string') throw new Error(`terser returned no source map for ${file}`)
  return { code: out.code, map: out.map }
}
