import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'

/**
 * Saves what a person sees when E2E_SCREENSHOTS names a folder (for looking at, not for comparing):
 * `E2E_SCREENSHOTS=/tmp/shots npx vitest run --project e2e`.
 */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  const folder = process.env.E2E_SCREENSHOTS
  if (!folder) return
  mkdirSync(folder, { recursive: true })
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage })
}
