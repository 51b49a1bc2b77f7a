import { ConfigError, type Config, parseConfig } from '../lib/config'
import { isDocId, newDocId } from '../lib/doc-id'
import { docLinks } from '../lib/links'
import { resolveSecret } from '../lib/secret'
import { adminKey } from '../lib/tokens'

/**
 * The operator CLI. It never opens the store (the sync server owns it): it signs links with
 * SECRET, and asks the running sync server's admin interface for a document's link generation.
 */
const USAGE = `usage: npm run cli -- <command>
  create                 create a document and print its links as JSON
  links <docId>          print the links of an existing document
  reset-links <docId>    revoke a document's links and print the new ones`

async function admin(config: Config, secret: string, method: string, path: string): Promise<{ linkGeneration: number }> {
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
  return (await response.json()) as { linkGeneration: number }
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
      const { linkGeneration } = await admin(config, secret, 'GET', `/admin/docs/${id}`)
      print(docLinks(settings, id, linkGeneration))
      return
    }
    case 'reset-links': {
      const id = needDocId()
      const { linkGeneration } = await admin(config, secret, 'POST', `/admin/docs/${id}/reset-links`)
      print(docLinks(settings, id, linkGeneration))
      return
    }
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
