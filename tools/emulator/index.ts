// A small Amazon ECR server for developing and testing the action; never bundled into dist/.
export { ManualClock, SystemClock } from './clock.ts'
export { CONTROL_COMMANDS } from './control.ts'
export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, Emulator, startEmulator } from './emulator.ts'
export { scanProfileFromResponse } from './replay.ts'
export {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_MANIFEST,
  sha256Digest,
} from './manifests.ts'
export type * from './types.ts'
