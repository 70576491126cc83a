// Jest's global setup: a run that includes the bundle tests stops at once when dist/ is older
// than src/ (tools/dist-sources.ts). Plain JavaScript: jest loads global setup with Node's own
// loader, which runs the .ts import as it is, where ts-jest would rewrite it to a missing .js.
export { checkDistBeforeTests as default } from '../../tools/dist-sources.ts'
