import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The production build the browser and deploy tests run against, as `npm run build` makes it.
 * The Next.js app is rebuilt only when a source is newer than .next/BUILD_ID: the e2e and the
 * deploy setups share this one rule, so a run of both never rebuilds under the other's running app.
 */
export function buildWebAppIfStale(): void {
  const buildId = '.next/BUILD_ID'
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0
  const sources = ['app', 'lib', 'public', 'proxy.ts', 'next.config.js', 'package.json']
  if (sources.some((path) => newestChange(path) > built)) runNode(['node_modules/next/dist/bin/next', 'build'])
}

/** dist/: always bundled, it takes a moment. */
export function buildServer(): void {
  runNode(['scripts/build-server.mjs'])
}

function newestChange(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

function runNode(args: string[]): void {
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed with ${result.status ?? result.signal}`)
}
