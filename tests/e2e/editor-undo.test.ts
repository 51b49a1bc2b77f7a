import { describe, expect, test } from 'vitest'
import { UI_TIMEOUT_MS } from './actors'
import { documentLines } from './document-content'
import { press } from './keys'
import { stage } from './stage'

const until = { timeout: UI_TIMEOUT_MS }
const { enter } = stage()

describe('undo and redo', () => {
  test('undo only your own changes, never a collaborator’s, and the caret goes back to where the change was', async () => {
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    await bob.open(await alice.createDocumentFromHome())

    await bob.typeAtEnd('Intro by Bob.')
    const bobsIntroAt = Date.now()
    await expect.poll(() => documentLines(alice), until).toEqual(['Intro by Bob.'])
    await alice.editor.click()
    await press(alice.page, 'Control+End')
    await alice.page.keyboard.type(' Alice adds a sentence.')
    await expect.poll(() => documentLines(bob), until).toEqual(['Intro by Bob. Alice adds a sentence.'])
    // Yjs's UndoManager makes one undo step of a person's changes less than 500 ms apart: Bob's
    // second line must come later than that to be a step of its own, however fast this machine is.
    await expect.poll(() => Date.now() - bobsIntroAt, { timeout: 2_000, interval: 50 }).toBeGreaterThan(600)
    await press(bob.page, 'Control+End')
    await bob.page.keyboard.press('Enter')
    await bob.page.keyboard.type('Second line by Bob.')
    await expect.poll(() => documentLines(alice), until).toEqual(['Intro by Bob. Alice adds a sentence.', 'Second line by Bob.'])

    // Alice's caret is far from her change when she undoes it.
    await press(alice.page, 'Control+End')
    await alice.page.keyboard.press('Control+z')
    await expect.poll(() => documentLines(alice), until).toEqual(['Intro by Bob.', 'Second line by Bob.'])
    await expect.poll(() => documentLines(bob), until).toEqual(['Intro by Bob.', 'Second line by Bob.'])

    await alice.page.keyboard.press('Control+Shift+z')
    await expect.poll(() => documentLines(bob), until).toEqual(['Intro by Bob. Alice adds a sentence.', 'Second line by Bob.'])
    await alice.page.keyboard.press('Control+z')
    await expect.poll(() => documentLines(bob), until).toEqual(['Intro by Bob.', 'Second line by Bob.'])

    // The caret is where her sentence was, not at the end of the document where she left it.
    await alice.page.keyboard.type(' Caret here.')
    await expect.poll(() => documentLines(bob), until).toEqual(['Intro by Bob. Caret here.', 'Second line by Bob.'])

    // The toolbar's Undo and Redo: Bob's line goes and comes back, Alice's text stays.
    await bob.page.getByRole('button', { name: 'Undo', exact: true }).click()
    await expect.poll(() => documentLines(alice), until).toEqual(['Intro by Bob. Caret here.'])
    await bob.page.getByRole('button', { name: 'Redo', exact: true }).click()
    await expect.poll(() => documentLines(alice), until).toEqual(['Intro by Bob. Caret here.', 'Second line by Bob.'])
  })
})
