// action.yml's inputs as the runner sees them, read from the file itself. Apart from the runner
// emulation (runner.ts), so that a unit test using them is not taken for a test of dist/.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))

interface ActionYml {
  inputs: Record<string, { default?: string; description?: string }>
}

function actionYml(): ActionYml {
  return parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml
}

/** Every input of action.yml, in its order. */
export function inputNames(): string[] {
  return Object.keys(actionYml().inputs)
}

/** The defaults of action.yml, which the runner passes for inputs the workflow leaves out. */
export function inputDefaults(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(actionYml().inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, `${input.default}`]),
  )
}
