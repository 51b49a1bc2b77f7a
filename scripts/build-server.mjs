// Bundles the sync server, the CLI and the launcher into dist/, so production starts plain
// JavaScript with no TypeScript compiling. Dependencies are bundled too: loading one file
// instead of resolving and compiling hundreds in node_modules halves the server's start-up
// (about 900 → 500 ms here). LevelDB stays external (`level` loads classic-level's native
// binary from its package directory), and so do ws's optional native helpers.
import { build } from 'esbuild'

await build({
  entryPoints: { 'sync-server': 'server/main.ts', cli: 'server/cli.ts', launcher: 'scripts/launcher.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['level', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS packages (ws, pino, prom-client) require Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
})
