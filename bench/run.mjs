// `npm run bench [-- [scenario ...] [--quick] [--servers=cowrite,classic,...] [--workers=N] [--no-build]]`
//
// Installs the competitors into bench/node_modules on first use (they never touch the root
// package.json), rebuilds cowrite's sync server so the current source is measured, then
// hands over to bench/lib/main.mjs. Only Node built-ins are imported before the install.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const bench = fileURLToPath(new URL('.', import.meta.url))
const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)

if (args.includes('--help') || args.includes('-h')) {
  const { usage } = await import('./lib/options.mjs')
  console.log(usage)
  process.exit(0)
}

// npm writes node_modules/.package-lock.json at the end of an install: missing or older than
// the lockfile means bench/node_modules is absent, partial or stale.
const installed = `${bench}node_modules/.package-lock.json`
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(`${bench}package-lock.json`).mtimeMs) {
  console.error('bench: installing the competitors into bench/node_modules (npm ci --prefix bench; builds better-sqlite3, ~2 min)…')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['ci', '--prefix', bench, '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root })
  if (result.status !== 0) {
    console.error('bench: npm ci --prefix bench failed')
    process.exit(1)
  }
}

const wantsCowrite = !args.some((a) => a.startsWith('--servers=')) || args.some((a) => a.startsWith('--servers=') && a.includes('cowrite'))
if (wantsCowrite && !args.includes('--no-build')) {
  // Always rebuild (esbuild, about a second): a stale dist/ would benchmark old code.
  const result = spawnSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit', cwd: root })
  if (result.status !== 0) {
    console.error('bench: building the sync server failed (node scripts/build-server.mjs)')
    process.exit(1)
  }
}

const { main } = await import('./lib/main.mjs')
process.exitCode = await main(args)
