// npm start / start:web / start:sync: build what is not built yet, then run the built launcher.
import { spawnSync } from 'node:child_process'

const mode = process.argv[2]
const parts = mode === 'web' ? ['web', 'server'] : mode === 'sync' ? ['server'] : ['web', 'server']
const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs', ...parts], { stdio: 'inherit' })
if (built.status !== 0) process.exit(built.status ?? 1)
await import(new URL('../dist/launcher.js', import.meta.url).href)
