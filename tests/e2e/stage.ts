import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { Actor, launchChromium } from './actors'

/** One Chromium per test file; every person enters in their own profile and leaves after each test. */
export function stage(): { enter: (name: string) => Promise<Actor> } {
  let browser: Browser
  const actors: Actor[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterEach(async () => {
    await Promise.all(actors.splice(0).map((actor) => actor.leave()))
  })
  afterAll(async () => {
    await browser?.close()
  })
  return {
    async enter(name) {
      const actor = await Actor.enter(browser, name)
      actors.push(actor)
      return actor
    },
  }
}
