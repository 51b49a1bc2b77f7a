import { resolve } from 'node:path'
import { expect, test } from 'vitest'
import { runTool } from './processes'

/** systemd's own checker on the shipped units: unknown or misspelt settings, a missing ExecStart binary. */
test.each(['cowrite-sync.service', 'cowrite-web.service'])('%s passes systemd-analyze verify', async (unit) => {
  const { stdout, stderr } = await runTool('systemd-analyze', ['verify', resolve('deploy', unit)])
  expect(stdout + stderr).toBe('')
})
