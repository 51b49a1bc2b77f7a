import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from './config'

/**
 * The signing secret: SECRET if set, otherwise DATA_DIR/secret, generated on first start.
 * Both processes may start at once; the exclusive create makes one of them the writer
 * and the other reads what it wrote.
 */
export function resolveSecret(config: Config): string {
  if (config.secret) return config.secret
  const file = join(config.dataDir, 'secret')
  mkdirSync(config.dataDir, { recursive: true })
  try {
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const secret = readFileSync(file, 'utf8').trim()
    if (secret.length >= 32) return secret
    // The other process created the file but has not finished writing it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10)
  }
  throw new Error(`${file} does not hold a secret of at least 32 characters; delete it or set SECRET`)
}
