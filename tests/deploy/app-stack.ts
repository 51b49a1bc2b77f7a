import { type SyncProcess, TEST_SECRET, startSyncProcess, tempDataDir } from '../helpers/sync-process'
import { type Started, freePort, startProcess, waitForStatus } from './processes'

/** The built web app and sync server on loopback, configured to be reached through a proxy at `publicUrl`. */
export type AppStack = { webPort: number; syncPort: number; stop(): Promise<void> }

/**
 * Starts what the systemd units start (`dist/sync-server.js`, `dist/launcher.js web`) with the
 * configuration a proxied deployment has: PUBLIC_URL and SYNC_URL on the proxy's origin.
 */
export async function startAppStack(publicUrl: string): Promise<AppStack> {
  const data = tempDataDir()
  const site = { PUBLIC_URL: publicUrl, SYNC_URL: `${publicUrl.replace(/^http/, 'ws')}/sync` }
  let sync: SyncProcess | undefined
  let web: Started | undefined
  const stop = async () => {
    await Promise.all([web?.stop(), sync && stopSync(sync)])
    data.remove()
  }
  try {
    sync = await startSyncProcess(data.dir, site)
    const webPort = await freePort()
    web = startProcess('web app', process.execPath, ['dist/launcher.js', 'web'], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(webPort),
      SYNC_PORT: String(sync.port),
      DATA_DIR: data.dir,
      SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      ...site,
    })
    await waitForStatus(`http://127.0.0.1:${webPort}/`, web)
    return { webPort, syncPort: sync.port, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function stopSync(sync: SyncProcess): Promise<void> {
  const timer = setTimeout(() => sync.child.kill('SIGKILL'), 10_000)
  await sync.stop('SIGTERM')
  clearTimeout(timer)
}
