import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createInterface } from 'node:readline'
import pino from 'pino'
import { ConfigError, type Config, parseConfig } from '../lib/config'
import { isDocId, newDocId } from '../lib/doc-id'
import { docLinks } from '../lib/links'
import { resolveSecret } from '../lib/secret'
import { adminKey } from '../lib/tokens'
import { restoreBackup } from './backup'
import { LevelDocStore } from './store/level-store'

/**
 * The operator CLI. It never opens the store (the sync server owns it): it signs links with
 * SECRET, and asks the running sync server's admin interface for a document's link generation.
 */
const USAGE = `usage: npm run cli -- <command>
  create                 create a document and print its links as JSON
  links <docId>          print the links of an existing document
  reset-links <docId>    revoke a document's links and print the new ones
  list                   documents with title, size and last change
  delete <docId>         delete a document (its open connections are closed)
  backup <file>          write a consistent copy of every document while the server runs
  restore <file>         load a backup into an empty DATA_DIR (the sync server must be stopped)`

async function admin(config: Config, secret: string, method: string, path: string): Promise<Response> {
  let response: Response
  try {
    response = await fetch(`${config.syncInternalUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey(secret)}` },
    })
  } catch (error) {
    throw new Error(`cannot reach the sync server at ${config.syncInternalUrl} (is it running?): ${(error as Error).message}`)
  }
  if (!response.ok) throw new Error(`the sync server answered ${response.status}: ${await response.text()}`)
  return response
}

async function generation(config: Config, secret: string, method: string, path: string): Promise<number> {
  const { linkGeneration } = (await (await admin(config, secret, method, path)).json()) as { linkGeneration: number }
  return linkGeneration
}

async function backup(config: Config, secret: string, file: string | undefined): Promise<void> {
  if (!file) throw new Error(`backup needs a file\n${USAGE}`)
  const response = await admin(config, secret, 'GET', '/admin/backup')
  // Written beside the target and renamed, so a failed backup never leaves a truncated file under its name.
  const partial = `${file}.partial`
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(partial))
    renameSync(partial, file)
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
  console.error(`cowrite: backup written to ${file}`)
}

async function restore(config: Config, file: string | undefined): Promise<void> {
  if (!file) throw new Error(`restore needs a file\n${USAGE}`)
  const dir = join(config.dataDir, 'store')
  const store = await LevelDocStore.open(dir, pino({ level: 'silent' }))
  try {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
    const count = await restoreBackup(store, lines)
    console.error(`cowrite: restored ${count} documents into ${dir}`)
  } finally {
    await store.close()
  }
}

async function run(args: string[]): Promise<void> {
  const config = parseConfig(process.env)
  const secret = resolveSecret(config)
  const settings = { publicUrl: config.publicUrl, syncUrl: config.syncUrl, secret }
  const [command, docId] = args
  const needDocId = () => {
    if (!isDocId(docId)) throw new Error(`"${docId ?? ''}" is not a document id\n${USAGE}`)
    return docId
  }
  switch (command) {
    case 'create':
      print(docLinks(settings, newDocId()))
      return
    case 'links': {
      const id = needDocId()
      print(docLinks(settings, id, await generation(config, secret, 'GET', `/admin/docs/${id}`)))
      return
    }
    case 'reset-links': {
      const id = needDocId()
      print(docLinks(settings, id, await generation(config, secret, 'POST', `/admin/docs/${id}/reset-links`)))
      return
    }
    case 'list': {
      const docs = (await (await admin(config, secret, 'GET', '/admin/docs')).json()) as Array<{
        docId: string
        title: string
        bytes: number
        updatedAt: number
      }>
      for (const doc of docs) {
        const changed = doc.updatedAt ? new Date(doc.updatedAt).toISOString() : '-'
        process.stdout.write(`${doc.docId}  ${changed}  ${String(doc.bytes).padStart(9)} B  ${doc.title || '(untitled)'}\n`)
      }
      console.error(`cowrite: ${docs.length} documents`)
      return
    }
    case 'delete':
      await admin(config, secret, 'DELETE', `/admin/docs/${needDocId()}`)
      console.error(`cowrite: deleted ${docId}`)
      return
    case 'backup':
      return backup(config, secret, args[1])
    case 'restore':
      return restore(config, args[1])
    default:
      throw new Error(command ? `unknown command "${command}"\n${USAGE}` : USAGE)
  }
}

function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}

run(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `cowrite: ${(error as Error).message}`)
  process.exit(error instanceof ConfigError ? 2 : 1)
})
