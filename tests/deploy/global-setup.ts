import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The deploy tests run the production build, as `npm run build` makes it: the Next.js app in
 * .next/ (rebuilt only when its sources changed, by the same rule as tests/e2e/global-setup.ts,
 * so a run of both never rebuilds under the other's running app) and dist/ (always bundled, it is quick).
 */
export default function setup(): void {
  buildWebAppIfStale()
  run(['scripts/build-server.mjs'])
}

function buildWebAppIfStale() {
  const buildId = '.next/BUILD_ID'
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0
  const sources = ['app', 'lib', 'public', 'next.config.js', 'package.json']
  if (sources.some((path) => newestChange(path) > built)) run(['node_modules/next/dist/bin/next', 'build'])
}

function newestChange(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

function run(args: string[]) {
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed with ${result.status ?? result.signal}`)
}
