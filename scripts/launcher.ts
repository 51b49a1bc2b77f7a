import { type ChildProcess, spawn } from 'node:child_process'
import { ConfigError, parseConfig } from '../lib/config'
import { resolveSecret } from '../lib/secret'

/**
 * `npm start` (both processes), `npm run start:web`, `npm run start:sync`: checks the
 * configuration once, makes sure the secret exists before either process reads it, runs the
 * built output with NODE_ENV=production, forwards SIGINT/SIGTERM, and exits when they have.
 */
const mode = process.argv[2] ?? 'all'
if (!['all', 'web', 'sync'].includes(mode)) {
  console.error(`cowrite: unknown mode "${mode}" (expected web or sync)`)
  process.exit(2)
}

let config
try {
  config = parseConfig(process.env)
  resolveSecret(config)
} catch (error) {
  console.error(error instanceof ConfigError ? `cowrite: ${error.message}` : `cowrite: ${(error as Error).message}`)
  process.exit(2)
}

const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' }
const children: ChildProcess[] = []
let exitCode = 0

function launch(name: string, args: string[]): void {
  const child = spawn(process.execPath, args, { env, stdio: 'inherit' })
  children.push(child)
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`cowrite: the ${name} process exited (${signal ?? code}); stopping`)
      exitCode = code || 1
      stop('SIGTERM')
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode)
  })
}

let stopping = false
function stop(signal: NodeJS.Signals): void {
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill(signal)
}
process.on('SIGINT', () => stop('SIGTERM'))
process.on('SIGTERM', () => stop('SIGTERM'))

if (mode !== 'web') launch('sync server', ['dist/sync-server.js'])
if (mode !== 'sync') {
  launch('web app', ['node_modules/next/dist/bin/next', 'start', '--port', String(config.port), '--hostname', config.host])
  console.error(`cowrite: web app on http://${config.host}:${config.port}, public URL ${config.publicUrl}`)
}
