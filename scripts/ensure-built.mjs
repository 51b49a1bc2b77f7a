// Builds what is not built yet: `server` (dist/) and/or `web` (.next/). Used by npm start and npm run cli.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const want = process.argv.slice(2)
const parts = want.length > 0 ? want : ['web', 'server']

function run(command, args) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (parts.includes('web') && !existsSync('.next/BUILD_ID')) {
  console.error('cowrite: building the web app (first start)…')
  run(process.execPath, ['node_modules/next/dist/bin/next', 'build'])
}
if (parts.includes('server') && !(['sync-server', 'cli', 'launcher'].every((name) => existsSync(`dist/${name}.js`)))) {
  console.error('cowrite: building the sync server…')
  run(process.execPath, ['scripts/build-server.mjs'])
}
