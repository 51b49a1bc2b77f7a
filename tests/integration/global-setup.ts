import { execFileSync } from 'node:child_process'

/** Integration tests run the real, bundled sync server: build it once per run. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' })
}
