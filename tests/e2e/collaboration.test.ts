import { describe, expect, inject, test } from 'vitest'
import { UI_TIMEOUT_MS, createDocument, resetLinks } from './actors'
import { stage } from './stage'

const until = { timeout: UI_TIMEOUT_MS }

const { enter } = stage()

describe('editing together', () => {
  test('two people type into one document and see each other’s text and named caret', async () => {
    const alice = await enter('Alice')
    const bob = await enter('Bob')

    const editUrl = await alice.createDocumentFromHome()
    await bob.open(editUrl)

    await alice.typeAtEnd('Hello from Alice.')
    await expect.poll(() => bob.text(), until).toContain('Hello from Alice.')

    await bob.typeAtEnd(' And hello from Bob.')
    await expect.poll(() => alice.text(), until).toContain('Hello from Alice. And hello from Bob.')

    await alice.caretOf(bob).waitFor()
    await bob.caretOf(alice).waitFor()
    await expect.poll(() => alice.people.allTextContents(), until).toEqual(['Alice (you)', 'Bob'])
  })

  test('the text is still there after a reload', async () => {
    const alice = await enter('Alice')
    await alice.createDocumentFromHome()
    await alice.typeAtEnd('Written to last.')
    await expect.poll(() => alice.text(), until).toContain('Written to last.')

    await alice.page.reload()
    await alice.connection.filter({ hasText: 'Connected' }).waitFor()
    await expect.poll(() => alice.text(), until).toContain('Written to last.')
  })
})

describe('a view link', () => {
  test('opens the document read-only while the writer’s edits still arrive live', async () => {
    const links = await createDocument()
    const alice = await enter('Alice')
    const victor = await enter('Victor')
    await alice.open(links.editUrl)
    const victorSent = victor.recordSyncMessages()
    await victor.open(links.viewUrl)

    await victor.page.getByText('View only').waitFor()
    await alice.typeAtEnd('Only Alice writes here.')
    await expect.poll(() => victor.text(), until).toContain('Only Alice writes here.')

    await victor.typeAtEnd(' Victor was here.')
    expect(await victor.text()).not.toContain('Victor was here')

    // Messages on one connection arrive in order: once alice sees victor's new name,
    // any document change he might have sent before it would have reached her too.
    await victor.rename('Victor, later')
    await alice.people.filter({ hasText: 'Victor, later' }).waitFor()
    expect(await alice.text()).not.toContain('Victor was here')

    await alice.typeAtEnd(' Still live.')
    await expect.poll(() => victor.text(), until).toContain('Only Alice writes here. Still live.')
    // What his browser sent: the sync handshake with nothing of his own in it, and no updates.
    expect(victorSent.filter(([type, payload]) => type !== 0 && !(type === 1 && payload.join() === '0,0'))).toEqual([])
  })
})

describe('a link that is not valid', () => {
  test('shows a clear message instead of an editor', async () => {
    const { id, viewUrl } = await createDocument()
    const forged = viewUrl.replace('?t=v.', '?t=e.')
    const visitor = await enter('Mallory')

    for (const url of [forged, `${inject('e2eStack').webUrl}/d/${id}?t=nonsense`, `${inject('e2eStack').webUrl}/d/${id}`]) {
      const response = await visitor.page.goto(url)
      expect(response?.status()).toBe(404)
      await visitor.page.getByRole('heading', { name: 'This link is not valid' }).waitFor()
      expect(await visitor.editor.count()).toBe(0)
    }
  })
})

describe('a link that was reset', () => {
  test('stops working in the open page, and the new link opens the same text', async () => {
    const links = await createDocument()
    const alice = await enter('Alice')
    await alice.open(links.editUrl)
    await alice.typeAtEnd('Before the reset.')
    await expect.poll(() => alice.text(), until).toContain('Before the reset.')

    const fresh = await resetLinks(links.id)
    await alice.page.getByRole('heading', { name: 'This link is no longer valid' }).waitFor()
    expect(await alice.editor.count()).toBe(0)

    await alice.open(fresh.editUrl)
    await expect.poll(() => alice.text(), until).toContain('Before the reset.')
  })
})
