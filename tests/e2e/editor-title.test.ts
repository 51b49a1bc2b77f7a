import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, inject, test } from 'vitest'
import { type Actor, UI_TIMEOUT_MS } from './actors'
import { screenshot } from './screenshots'
import { stage } from './stage'

const until = { timeout: UI_TIMEOUT_MS }
const { enter } = stage()

const titleField = (actor: Actor) => actor.page.getByRole('textbox', { name: 'Title' })
const recent = (actor: Actor) => actor.page.getByRole('region', { name: 'Recent documents' })

async function goHome(actor: Actor) {
  await actor.page.goto(`${inject('e2eStack').webUrl}/`)
  await actor.page.getByRole('heading', { name: 'Recent documents' }).waitFor()
}

/** The operator's `npm run cli -- list`, beside the running servers. */
async function operatorList(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/cli.js', 'list'], { env: inject('e2eStack').env })
  return stdout
}

describe('the title', () => {
  test('is edited above the text, synced live, and shown in the tab, on the home page and to the operator', async () => {
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    const url = await alice.createDocumentFromHome()
    await bob.open(url)

    expect(await titleField(alice).getAttribute('placeholder')).toBe('Untitled document')
    await expect.poll(() => alice.page.title(), until).toBe('Untitled document – cowrite')

    await titleField(alice).click()
    await alice.page.keyboard.type('Launch plan')
    await expect.poll(() => titleField(bob).inputValue(), until).toBe('Launch plan')
    await expect.poll(() => bob.page.title(), until).toBe('Launch plan – cowrite')
    expect(await alice.page.title()).toBe('Launch plan – cowrite')

    // Enter moves on into the text.
    await alice.page.keyboard.press('Enter')
    await alice.page.keyboard.type('First line of the body.')
    await expect.poll(() => bob.text(), until).toContain('First line of the body.')
    expect(await titleField(bob).inputValue()).toBe('Launch plan')
    await screenshot(bob.page, 'title')

    await expect.poll(operatorList, until).toContain('Launch plan')

    for (const person of [alice, bob]) {
      await goHome(person)
      const entry = recent(person).getByRole('listitem').filter({ hasText: 'Launch plan' })
      await entry.waitFor()
      expect(await entry.innerText()).toContain('Opened just now')
    }
  })
})

describe('the home page', () => {
  test('lists the documents opened in this browser, newest first, each removable, with an empty state', async () => {
    const carol = await enter('Carol')
    await goHome(carol)
    await recent(carol).getByText('Nothing here yet').waitFor()
    await screenshot(carol.page, 'home-empty')

    await carol.createDocumentFromHome()
    await titleField(carol).fill('Meeting notes')
    await carol.createDocumentFromHome()
    await goHome(carol)
    const items = recent(carol).getByRole('listitem')
    await expect.poll(() => items.allInnerTexts(), until).toEqual([
      expect.stringMatching(/^Untitled document\s+Opened just now/),
      expect.stringMatching(/^Meeting notes\s+Opened just now/),
    ])
    await screenshot(carol.page, 'home-recent')

    // An entry opens its document.
    await recent(carol).getByRole('link', { name: /Meeting notes/ }).click()
    await expect.poll(() => titleField(carol).inputValue(), until).toBe('Meeting notes')
    await goHome(carol)
    await expect.poll(() => items.first().innerText(), until).toMatch(/^Meeting notes/)

    await recent(carol).getByRole('button', { name: 'Remove “Meeting notes” from this list' }).click()
    await expect.poll(() => items.count(), until).toBe(1)
    await recent(carol).getByRole('button', { name: 'Remove “Untitled document” from this list' }).click()
    await recent(carol).getByText('Nothing here yet').waitFor()
    await carol.page.reload()
    await recent(carol).getByText('Nothing here yet').waitFor()
  })
})
