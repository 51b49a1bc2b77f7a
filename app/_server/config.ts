import { parseConfig, type Config } from '../../lib/config'
import type { LinkSettings } from '../../lib/links'
import { resolveSecret } from '../../lib/secret'

type AppSettings = { config: Config; links: LinkSettings }

let settings: AppSettings | undefined

/** The web app's only reader of the environment; parsed on first request, never at build time. */
export function appSettings(): AppSettings {
  if (!settings) {
    const config = parseConfig(process.env)
    const secret = resolveSecret(config)
    settings = { config, links: { publicUrl: config.publicUrl, syncUrl: config.syncUrl, secret } }
  }
  return settings
}
