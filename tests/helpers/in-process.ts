import pino from 'pino'
import type { Logger } from '../../server/logger'
import { parseConfig } from '../../lib/config'
import { type SyncServer, startSyncServer } from '../../server/main'
import type { DocStore } from '../../server/store/doc-store'
import { TEST_SECRET } from './sync-process'

export type RunningServer = SyncServer & { url: string; httpUrl: string }

/** The real sync server in this process, on a free port, with LevelDB in `dataDir` unless a store is given; silent unless a log is. */
export async function startInProcess(
  dataDir: string,
  env: Record<string, string> = {},
  options: { store?: DocStore; log?: Logger } = {},
): Promise<RunningServer> {
  const config = parseConfig({ HOST: '127.0.0.1', SYNC_PORT: '0', DATA_DIR: dataDir, SECRET: TEST_SECRET, UNLOAD_DELAY_MS: '100', ...env })
  const server = await startSyncServer(config, { log: options.log ?? pino({ level: 'silent' }), store: options.store })
  return { ...server, url: `ws://127.0.0.1:${server.port}`, httpUrl: `http://127.0.0.1:${server.port}` }
}
