import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Locator } from 'playwright-core'
import { describe, expect, inject, test } from 'vitest'
import { type Actor, UI_TIMEOUT_MS, createDocument } from './actors'
import { press } from './keys'
import { screenshot } from './screenshots'
import { stage } from './stage'

const until = { timeout: UI_TIMEOUT_MS }
const { enter } = stage()

const person = (actor: Actor, name: string) =>
  actor.page.getByRole('region', { name: 'People on this document' }).getByRole('button', { name, exact: true })

const inViewport = (locator: Locator) =>
  locator.evaluate((element) => {
    const box = element.getBoundingClientRect()
    return box.bottom > 0 && box.top < window.innerHeight
  })

/** The relative luminance of a computed `rgb(…)` colour, 0 (black) to 1 (white). */
const luminance = (rgb: string) => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255)
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

describe('people on the document', () => {
  test('avatars with initials and colours; the name on hover; a click scrolls to that person’s caret', async () => {
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    await bob.open(await alice.createDocumentFromHome())
    await alice.rename('Alice Liddell')
    await alice.page.getByLabel('Colour').fill('#2b8a3e')

    const aliceForBob = person(bob, 'Alice Liddell')
    await aliceForBob.waitFor()
    expect(await aliceForBob.locator('.avatar').getAttribute('data-initials')).toBe('AL')
    await expect.poll(() => aliceForBob.locator('.avatar').evaluate((a) => getComputedStyle(a).backgroundColor), until).toBe('rgb(43, 138, 62)')
    expect(await person(bob, 'Bob (you)').locator('.avatar').getAttribute('data-initials')).toBe('B')

    // A long document; Bob writes at its end, Alice reads its top.
    await alice.editor.click()
    // Many paragraphs at once, as from another document.
    await alice.pasteHtml(Array.from({ length: 80 }, (_, i) => `<p>Paragraph ${i + 1} of a long document.</p>`).join(''))
    await expect.poll(() => bob.text(), until).toContain('Paragraph 80 of a long document.')
    await bob.editor.click()
    await press(bob.page, 'Control+End')
    await bob.page.keyboard.type(' Bob is here.')
    await press(alice.page, 'Control+Home')
    await alice.page.evaluate(() => window.scrollTo(0, 0))
    const bobsCaret = alice.caretOf(bob)
    await bobsCaret.waitFor({ state: 'attached' })
    expect(await inViewport(bobsCaret)).toBe(false)

    await person(alice, 'Bob').click()
    await expect.poll(() => inViewport(bobsCaret), until).toBe(true)
    await screenshot(alice.page, 'presence-scrolled-to-bob', { fullPage: false })

    // On a phone the names show on hover only.
    await bob.page.setViewportSize({ width: 375, height: 740 })
    const name = aliceForBob.locator('.presence__name')
    expect(await name.isVisible()).toBe(false)
    await aliceForBob.hover()
    await expect.poll(() => name.isVisible(), until).toBe(true)
    await screenshot(bob.page, 'presence-hover-phone')
  })
})

describe('layout and theme', () => {
  test('works from a phone’s width to a wide screen', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    await alice.page.getByRole('textbox', { name: 'Title' }).fill('Layout check')
    await alice.typeAtEnd('Some text to lay out, long enough to wrap onto a second line on a narrow phone screen.')
    for (const [width, height] of [
      [375, 740],
      [768, 1000],
      [1440, 900],
    ]) {
      await alice.page.setViewportSize({ width, height })
      const overflow = await alice.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0)
      for (const part of [
        alice.page.getByRole('toolbar', { name: 'Formatting' }),
        alice.page.getByRole('textbox', { name: 'Title' }),
        alice.editor,
        alice.page.getByRole('status', { name: 'Save status' }),
      ]) {
        const box = await part.boundingBox()
        expect(box && box.x >= 0 && box.x + box.width <= width, `fits at ${width}px`).toBe(true)
      }
      await screenshot(alice.page, `layout-${width}`)
    }
  })

  test('light and dark themes follow the system setting', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    await alice.typeAtEnd('Easy on the eyes at night.')
    const colours = () =>
      alice.page.evaluate(() => ({
        page: getComputedStyle(document.documentElement).backgroundColor,
        text: getComputedStyle(document.querySelector('[aria-label="Document text"]') as Element).color,
      }))

    await alice.page.emulateMedia({ colorScheme: 'light' })
    const light = await colours()
    expect(luminance(light.page)).toBeGreaterThan(0.8)
    expect(luminance(light.text)).toBeLessThan(0.2)

    await alice.page.emulateMedia({ colorScheme: 'dark' })
    const dark = await colours()
    expect(luminance(dark.page)).toBeLessThan(0.1)
    expect(luminance(dark.text)).toBeGreaterThan(0.8)
    await screenshot(alice.page, 'theme-dark')
    await alice.page.goto(`${inject('e2eStack').webUrl}/`)
    await screenshot(alice.page, 'theme-dark-home')
  })
})

describe('keyboard only', () => {
  test('focus is visible, the toolbar is one Tab stop, and the link dialog traps focus and closes on Escape', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    const page = alice.page
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLInputElement
        const label = element.labels?.[0]?.textContent
        return {
          name: element.getAttribute('aria-label') ?? label ?? element.textContent?.trim() ?? '',
          tag: element.tagName,
          inToolbar: element.closest('[role="toolbar"]') !== null,
          outline: getComputedStyle(element).outlineStyle,
        }
      })

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    let reached = await focused()
    for (let tabs = 0; tabs < 30 && !reached.inToolbar; tabs++) {
      await page.keyboard.press('Tab')
      reached = await focused()
      expect(reached.outline, `focus ring on ${reached.tag} ${reached.name}`).not.toBe('none')
    }
    expect(reached).toMatchObject({ inToolbar: true, name: 'Text style' })
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toMatchObject({ name: 'Bold', outline: 'solid' })
    await page.keyboard.press('End')
    expect((await focused()).name).toBe('Justify')
    await page.keyboard.press('Home')
    expect((await focused()).name).toBe('Text style')
    await screenshot(page, 'keyboard-toolbar-focus')

    // One Tab leaves the toolbar for the title, the next goes into the text.
    await page.keyboard.press('Tab')
    expect((await focused()).name).toBe('Title')
    await page.keyboard.press('Tab')
    expect((await focused()).name).toBe('Document text')
    await page.keyboard.type('Typed without a mouse.')

    await page.keyboard.press('Control+k')
    const dialog = page.getByRole('dialog', { name: 'Add link' })
    await dialog.waitFor()
    expect((await focused()).name).toBe('Address')
    const order: string[] = []
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab')
      order.push((await focused()).name)
    }
    expect(order).toEqual(['Text', 'Cancel', 'Save', 'Address', 'Text'])
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect((await focused()).name).toBe('Save')
    await screenshot(page, 'keyboard-link-dialog')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count(), until).toBe(0)
    expect((await focused()).name).toBe('Document text')
    await page.keyboard.type(' Still typing.')
    await expect.poll(() => alice.text(), until).toContain('Typed without a mouse. Still typing.')
  })
})

describe('pages that are not a document', () => {
  test('an unknown address shows a clear page', async () => {
    const visitor = await enter('Visitor')
    const response = await visitor.page.goto(`${inject('e2eStack').webUrl}/no/such/page`)
    expect(response?.status()).toBe(404)
    await visitor.page.getByRole('heading', { name: 'Page not found' }).waitFor()
    await visitor.page.getByRole('link', { name: 'Go to cowrite' }).click()
    await visitor.page.getByRole('button', { name: 'New document' }).waitFor()
  })

  test('a page opened at an address the sync server does not accept says so, not that the link is invalid', async () => {
    const links = await createDocument()
    const visitor = await enter('Visitor')
    // The stack's PUBLIC_URL is http://127.0.0.1:<port>; the same app at localhost is another origin.
    const elsewhere = new URL(links.editUrl)
    elsewhere.hostname = 'localhost'
    await visitor.page.goto(elsewhere.href)
    await visitor.page.getByRole('heading', { name: "This address is not the server's" }).waitFor()
    expect(await visitor.page.getByRole('alert').filter({ hasText: 'PUBLIC_URL' }).innerText()).toContain('http://localhost:')
    expect(await visitor.page.getByRole('heading', { name: 'This link is no longer valid' }).count()).toBe(0)
    expect(await visitor.editor.count()).toBe(0)
    await screenshot(visitor.page, 'origin-refused')
  })

  test('a document deleted while open shows a clear message instead of the editor', async () => {
    const links = await createDocument()
    const alice = await enter('Alice')
    await alice.open(links.editUrl)
    await alice.typeAtEnd('Soon gone.')
    await expect.poll(() => alice.page.getByRole('status', { name: 'Save status' }).innerText(), until).toBe('Saved')
    await promisify(execFile)(process.execPath, ['dist/cli.js', 'delete', links.id], { env: inject('e2eStack').env })
    await alice.page.getByRole('heading', { name: 'This link is no longer valid' }).waitFor()
    expect(await alice.editor.count()).toBe(0)
    await screenshot(alice.page, 'document-deleted')
  })
})
