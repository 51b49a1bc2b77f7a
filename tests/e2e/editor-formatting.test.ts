import type { Page } from 'playwright-core'
import { describe, expect, inject, test } from 'vitest'
import { type Actor, UI_TIMEOUT_MS } from './actors'
import { documentHtml } from './document-content'
import { press } from './keys'
import { screenshot } from './screenshots'
import { stage } from './stage'

const until = { timeout: UI_TIMEOUT_MS }
const { enter } = stage()

const html = documentHtml
const toolbar = (actor: Actor) => actor.page.getByRole('toolbar', { name: 'Formatting' })
const button = (actor: Actor, name: string) => toolbar(actor).getByRole('button', { name, exact: true })

/** Types a line and selects its last word. */
async function typeAndSelectLastWord(page: Page, line: string) {
  await page.keyboard.type(line)
  await press(page, 'Control+Shift+ArrowLeft')
}

/** Ends the current line and starts a new one, with no formatting carried over. */
async function newLine(page: Page) {
  await press(page, 'End')
  await page.keyboard.press('Enter')
}

async function freshLine(actor: Actor) {
  await actor.editor.click()
  await press(actor.page, 'Control+End')
  await actor.page.keyboard.press('Enter')
}

describe('the toolbar', () => {
  test('formats the selection, shows what is active, and names every control', async () => {
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    await bob.open(await alice.createDocumentFromHome())

    const names = await toolbar(alice).locator('button, select').evaluateAll((controls) =>
      controls.map((control) => control.getAttribute('aria-label') ?? ''),
    )
    expect(names.filter((name) => name.trim() === '')).toEqual([])
    expect(names).toEqual(
      expect.arrayContaining(['Undo', 'Redo', 'Text style', 'Bold', 'Italic', 'Underline', 'Strikethrough', 'Inline code', 'Highlight', 'Link']),
    )
    expect(names).toEqual(
      expect.arrayContaining(['Bulleted list', 'Numbered list', 'Task list', 'Quote', 'Code block', 'Horizontal rule', 'Insert table']),
    )
    expect(names).toEqual(expect.arrayContaining(['Align left', 'Align centre', 'Align right', 'Justify']))

    await alice.editor.click()
    const marks: Array<[string, string]> = [
      ['Bold', 'strong'],
      ['Italic', 'em'],
      ['Underline', 'u'],
      ['Strikethrough', 's'],
      ['Inline code', 'code'],
      ['Highlight', 'mark'],
    ]
    const word = (name: string) => name.toLowerCase().replace(/\W/g, '')
    for (const [name, tag] of marks) {
      await typeAndSelectLastWord(alice.page, `Plain and ${word(name)}`)
      await button(alice, name).click()
      await expect.poll(() => button(alice, name).getAttribute('aria-pressed'), until).toBe('true')
      expect(await html(alice)).toContain(`<${tag}>${word(name)}</${tag}>`)
      // The next line starts with the same formatting, as in any editor; pressing again ends it.
      await newLine(alice.page)
      expect(await button(alice, name).getAttribute('aria-pressed')).toBe('true')
      await button(alice, name).click()
      await expect.poll(() => button(alice, name).getAttribute('aria-pressed'), until).toBe('false')
    }

    await alice.page.keyboard.type('A heading')
    await toolbar(alice).getByRole('combobox', { name: 'Text style' }).selectOption('Heading 2')
    await expect.poll(() => html(alice), until).toContain('<h2>A heading</h2>')
    expect(await toolbar(alice).getByRole('combobox', { name: 'Text style' }).inputValue()).toBe('h2')
    await toolbar(alice).getByRole('combobox', { name: 'Text style' }).selectOption('Paragraph')
    await expect.poll(() => html(alice), until).toContain('<p>A heading</p>')

    const blocks: Array<[string, string]> = [
      ['Bulleted list', '<ul><li><p>In a bulleted list'],
      ['Numbered list', '<ol><li><p>In a numbered list'],
      ['Task list', 'data-type="taskList"'],
      ['Quote', '<blockquote><p>In a quote'],
      ['Code block', '<pre><code>In a code block'],
    ]
    for (const [name, expected] of blocks) {
      await freshLine(alice)
      await alice.page.keyboard.type(`In a ${name.toLowerCase()}`)
      await button(alice, name).click()
      await expect.poll(() => html(alice), until).toContain(expected)
      expect(await button(alice, name).getAttribute('aria-pressed')).toBe('true')
      await button(alice, name).click()
      await expect.poll(() => button(alice, name).getAttribute('aria-pressed'), until).toBe('false')
    }

    await freshLine(alice)
    await button(alice, 'Horizontal rule').click()
    await expect.poll(() => html(alice), until).toContain('<hr')

    await freshLine(alice)
    await alice.page.keyboard.type('Centred words')
    await button(alice, 'Align centre').click()
    await expect.poll(() => html(alice), until).toContain('<p style="text-align: center;">Centred words</p>')
    expect(await button(alice, 'Align centre').getAttribute('aria-pressed')).toBe('true')
    expect(await button(alice, 'Align left').getAttribute('aria-pressed')).toBe('false')
    await button(alice, 'Align right').click()
    await expect.poll(() => html(alice), until).toContain('<p style="text-align: right;">Centred words</p>')

    // Everyone sees the same formatting.
    await expect.poll(() => html(bob), until).toContain('<p style="text-align: right;">Centred words</p>')
    for (const [name, tag] of marks) expect(await html(bob)).toContain(`<${tag}>${word(name)}</${tag}>`)
    await screenshot(alice.page, 'toolbar-formatting')
  })

  test('tables: insert, add and remove rows and columns, delete', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    await alice.editor.click()
    const table = alice.editor.locator('table')
    const tableTools = alice.page.getByRole('group', { name: 'Table' })
    expect(await tableTools.count()).toBe(0)

    await button(alice, 'Insert table').click()
    await table.waitFor()
    expect(await table.locator('tr').count()).toBe(3)
    expect(await table.locator('tr').first().locator('th').count()).toBe(3)
    await alice.page.keyboard.type('Name')
    // Tab moves cell by cell: to the second cell of the second row.
    for (let i = 0; i < 4; i++) await alice.page.keyboard.press('Tab')
    await alice.page.keyboard.type('Ada')

    await tableTools.getByRole('button', { name: 'Add row below' }).click()
    await expect.poll(() => table.locator('tr').count(), until).toBe(4)
    await tableTools.getByRole('button', { name: 'Add row above' }).click()
    await expect.poll(() => table.locator('tr').count(), until).toBe(5)
    await tableTools.getByRole('button', { name: 'Add column after' }).click()
    await expect.poll(() => table.locator('tr').first().locator('th, td').count(), until).toBe(4)
    await tableTools.getByRole('button', { name: 'Add column before' }).click()
    await expect.poll(() => table.locator('tr').first().locator('th, td').count(), until).toBe(5)
    await screenshot(alice.page, 'table')
    await tableTools.getByRole('button', { name: 'Delete column' }).click()
    await expect.poll(() => table.locator('tr').first().locator('th, td').count(), until).toBe(4)
    await tableTools.getByRole('button', { name: 'Delete row' }).click()
    await expect.poll(() => table.locator('tr').count(), until).toBe(4)
    expect(await table.innerText()).toContain('Name')
    expect(await table.innerText()).not.toContain('Ada')

    await tableTools.getByRole('button', { name: 'Delete table' }).click()
    await expect.poll(() => table.count(), until).toBe(0)
    expect(await tableTools.count()).toBe(0)
  })
})

describe('links', () => {
  test('are added, edited, opened and removed through the link dialog', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    const target = `${inject('e2eStack').webUrl}/`
    await alice.editor.click()
    await typeAndSelectLastWord(alice.page, 'Read the manual')

    await button(alice, 'Link').click()
    const dialog = alice.page.getByRole('dialog', { name: 'Add link' })
    await dialog.getByLabel('Address').fill('example.com/manual')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => html(alice), until).toContain('href="https://example.com/manual"')
    expect(await alice.editor.getByRole('link').innerText()).toBe('manual')

    // Ctrl+K with the caret in the link edits it.
    await alice.editor.getByRole('link').click()
    await alice.page.keyboard.press('Control+k')
    const edit = alice.page.getByRole('dialog', { name: 'Edit link' })
    expect(await edit.getByLabel('Address').inputValue()).toBe('https://example.com/manual')
    await edit.getByLabel('Address').fill(target)
    await edit.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => alice.editor.getByRole('link').getAttribute('href'), until).toBe(target)

    await alice.editor.getByRole('link').click()
    await button(alice, 'Link').click()
    const [opened] = await Promise.all([
      alice.page.context().waitForEvent('page'),
      edit.getByRole('link', { name: 'Open link' }).click(),
    ])
    expect(opened.url()).toBe(target)
    await opened.close()

    // A javascript: address is refused.
    await edit.getByLabel('Address').fill('javascript:alert(1)')
    await edit.getByRole('button', { name: 'Save' }).click()
    await edit.getByRole('alert').filter({ hasText: 'cannot be used as a link' }).waitFor()
    await edit.getByRole('button', { name: 'Remove link' }).click()
    await expect.poll(() => alice.editor.getByRole('link').count(), until).toBe(0)
    expect(await alice.text()).toContain('Read the manual')
  })
})

describe('keyboard shortcuts and markdown', () => {
  test('shortcuts format as the toolbar does', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    await alice.editor.click()
    const k = alice.page.keyboard
    const shortcuts: Array<[string, string, string]> = [
      ['Control+b', 'bold', '<strong>bold</strong>'],
      ['Control+i', 'italic', '<em>italic</em>'],
      ['Control+u', 'underlined', '<u>underlined</u>'],
      ['Control+Shift+s', 'struck', '<s>struck</s>'],
      ['Control+e', 'code', '<code>code</code>'],
      ['Control+Shift+h', 'marked', '<mark>marked</mark>'],
    ]
    for (const [keys, word, expected] of shortcuts) {
      await typeAndSelectLastWord(alice.page, `Some ${word}`)
      await k.press(keys)
      await expect.poll(() => html(alice), until).toContain(expected)
      await newLine(alice.page)
      await k.press(keys)
    }
    const blocks: Array<[string, string]> = [
      ['Control+Alt+1', '<h1>Line for Control+Alt+1</h1>'],
      ['Control+Alt+3', '<h3>Line for Control+Alt+3</h3>'],
      ['Control+Shift+8', '<ul><li><p>Line for Control+Shift+8</p></li></ul>'],
      ['Control+Shift+7', '<ol><li><p>Line for Control+Shift+7</p></li></ol>'],
      ['Control+Shift+b', '<blockquote><p>Line for Control+Shift+b</p></blockquote>'],
      ['Control+Shift+e', '<p style="text-align: center;">Line for Control+Shift+e</p>'],
    ]
    for (const [keys, expected] of blocks) {
      await freshLine(alice)
      await k.type(`Line for ${keys}`)
      await k.press(keys)
      await expect.poll(() => html(alice), until).toContain(expected)
      // Pressed again, the line is a plain paragraph again (and the next starts outside any list).
      if (keys.endsWith('+e')) continue
      await k.press(keys)
      await expect.poll(() => html(alice), until).toContain(`<p>Line for ${keys}</p>`)
    }
  })

  test('markdown typed at the start of a line becomes formatting', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    await alice.editor.click()
    const k = alice.page.keyboard
    await k.type('# Title line\n')
    await k.type('## Section\n')
    await k.type('- bullet one\nbullet two\n\n')
    await k.type('1. first\nsecond\n\n')
    await k.type('> wise words\n\n')
    await k.type('Some **strong** text and *leaning* text\n')
    await k.type('```')
    await k.press('Enter')
    await k.type('const answer = 42')
    const text = await html(alice)
    expect(text).toContain('<h1>Title line</h1>')
    expect(text).toContain('<h2>Section</h2>')
    expect(text).toContain('<ul><li><p>bullet one</p></li><li><p>bullet two</p></li></ul>')
    expect(text).toContain('<ol><li><p>first</p></li><li><p>second</p></li></ol>')
    expect(text).toContain('<blockquote><p>wise words</p></blockquote>')
    expect(text).toContain('<strong>strong</strong>')
    expect(text).toContain('<em>leaning</em>')
    expect(text).toContain('<pre><code>const answer = 42</code></pre>')
    await screenshot(alice.page, 'markdown')
  })
})

describe('counts and the empty document', () => {
  // Characters as word processors count them: every letter and space, no line breaks.
  test('an empty document shows a placeholder; words and characters are counted', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    const counts = alice.page.getByLabel('Word and character count')
    await counts.filter({ hasText: '0 words · 0 characters' }).waitFor()
    const placeholder = alice.editor.locator('p.is-editor-empty')
    expect(await placeholder.getAttribute('data-placeholder')).toBe('Start writing…')
    expect(await placeholder.evaluate((p) => getComputedStyle(p, '::before').content)).toBe('"Start writing…"')

    await alice.typeAtEnd('Hello brave new world')
    await counts.filter({ hasText: '4 words · 21 characters' }).waitFor()
    expect(await alice.editor.locator('p.is-editor-empty').count()).toBe(0)
    await alice.page.keyboard.press('Enter')
    await alice.page.keyboard.type('One more')
    await counts.filter({ hasText: '6 words · 29 characters' }).waitFor()
  })
})

describe('pasting', () => {
  test('keeps the formatting the editor supports and drops the rest', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    await alice.editor.click()
    // As a web page and a word processor put it on the clipboard.
    const pasted = [
      '<meta charset="utf-8"><style>p { color: red }</style>',
      '<h2 style="font-family: Comic Sans MS; color: #ff0000">Pasted heading</h2>',
      '<p class="MsoNormal"><b><span style="font-size:14pt;color:red">Bold from Word</span></b><o:p></o:p></p>',
      '<b style="font-weight:normal" id="docs-internal-guid-1"><p><span style="font-weight:700">Bold from Docs</span> and <span style="font-style:italic">italic</span></p></b>',
      '<p><u>under</u> <s>struck</s> <code>code</code> <mark>marked</mark> <a href="https://example.com/x">a link</a> <a href="javascript:alert(1)">a trap</a></p>',
      '<ul><li>listed</li></ul><ol><li>numbered</li></ol><blockquote><p>quoted</p></blockquote>',
      '<table><tr><th>Head</th></tr><tr><td>Cell</td></tr></table>',
      '<h5>Small heading</h5><p><img src="https://example.com/i.png" alt="pic"><font color="red" size="7">Big red</font></p>',
      '<iframe src="https://example.com"></iframe><script>window.pwned = true</script>',
    ].join('')
    await alice.pasteHtml(pasted)

    await expect.poll(() => alice.text(), until).toContain('Big red')
    const result = await html(alice)
    for (const kept of [
      '<h2>Pasted heading</h2>',
      '<strong>Bold from Word</strong>',
      '<strong>Bold from Docs</strong>',
      '<em>italic</em>',
      '<u>under</u>',
      '<s>struck</s>',
      '<code>code</code>',
      '<mark>marked</mark>',
      'href="https://example.com/x"',
      '<ul><li><p>listed</p></li></ul>',
      '<ol><li><p>numbered</p></li></ol>',
      '<blockquote><p>quoted</p></blockquote>',
      '<th',
      'Cell',
      'Small heading',
    ]) {
      expect(result).toContain(kept)
    }
    for (const dropped of ['color', 'font-family', 'font-size', 'Comic', '<img', '<iframe', '<script', 'javascript:', '<h5', '<font', 'class="Mso']) {
      expect(result).not.toContain(dropped)
    }
    expect(await alice.text()).toContain('a trap')
    expect(await alice.page.evaluate(() => 'pwned' in window)).toBe(false)
  })
})
