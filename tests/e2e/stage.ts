import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { Actor, launchChromium } from './actors'

type Enter = (name: string, options?: { bypassCSP?: boolean }) => Promise<Actor>

/**
 * One Chromium per test file; every person enters in their own profile and leaves after each
 * test. With `checkCsp`, each test also fails if a page's own scripts tripped the Content-Security-Policy.
 */
export function stage(options: { checkCsp?: boolean } = {}): { enter: Enter } {
  let browser: Browser
  const actors: Actor[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterEach(async () => {
    const left = actors.splice(0)
    if (options.checkCsp) for (const actor of left) expect(actor.cspViolations, actor.name).toEqual([])
    await Promise.all(left.map((actor) => actor.leave()))
  })
  afterAll(async () => {
    await browser?.close()
  })
  return {
    async enter(name, contextOptions) {
      const actor = await Actor.enter(browser, name, contextOptions)
      actors.push(actor)
      return actor
    },
  }
}
