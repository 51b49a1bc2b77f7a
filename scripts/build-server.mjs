// Bundles the sync server and the CLI into dist/ (dependencies stay external in node_modules),
// so production starts plain JavaScript with no TypeScript compiling.
import { build } from 'esbuild'

await build({
  entryPoints: { 'sync-server': 'server/main.ts', cli: 'server/cli.ts', launcher: 'scripts/launcher.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
