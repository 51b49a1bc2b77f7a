import type { Page } from 'playwright-core'

/** Two animation frames: the browser has run the tasks it queued for earlier input (selectionchange). */
export function nextFrames(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

/**
 * Presses keys the browser handles itself (End, Ctrl+End, Shift+arrows move the selection).
 * ProseMirror learns of the new selection from a later `selectionchange` event; a shortcut or
 * Enter pressed before that would act on the old selection, which no person is fast enough to do.
 */
export async function press(page: Page, keys: string): Promise<void> {
  await page.keyboard.press(keys)
  await nextFrames(page)
}
