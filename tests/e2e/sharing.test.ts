import type { Page } from 'playwright-core'
import { describe, expect, inject, test } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { DocLinks } from '../../lib/links'
import { type Actor, UI_TIMEOUT_MS, createDocument } from './actors'
import { stage } from './stage'

const until = { timeout: UI_TIMEOUT_MS }

// Whatever a test did, the pages' own scripts never tripped the Content-Security-Policy.
const { enter } = stage({ checkCsp: true })

const webUrl = () => inject('e2eStack').webUrl
const shareDialog = (actor: Actor) => actor.page.getByRole('dialog', { name: 'Share this document' })

async function openShareDialog(actor: Actor) {
  await actor.page.getByRole('button', { name: 'Share' }).click()
  const dialog = shareDialog(actor)
  // The links come from the server each time the dialog opens.
  await expect.poll(() => dialog.getByRole('textbox', { name: 'Edit link' }).inputValue(), until).toMatch(/^http/)
  return dialog
}

describe('the Share dialog', () => {
  test('copies the edit and the view link with one click each, says so, traps focus and closes on Escape', async () => {
    const alice = await enter('Alice')
    const editUrl = await alice.createDocumentFromHome()
    const dialog = await openShareDialog(alice)

    const editLink = await dialog.getByRole('textbox', { name: 'Edit link' }).inputValue()
    const viewLink = await dialog.getByRole('textbox', { name: 'View link' }).inputValue()
    expect(editLink).toBe(editUrl)
    expect(viewLink).toMatch(/\/d\/[A-Za-z0-9_-]{22}\?t=v\.0\./)
    await dialog.getByText('can read and change the document').waitFor()
    await dialog.getByText('cannot change it').waitFor()

    await dialog.getByRole('button', { name: 'Copy edit link' }).click()
    await dialog.getByRole('status').filter({ hasText: 'Copied' }).waitFor()
    expect(await alice.clipboard()).toBe(editLink)
    await dialog.getByRole('button', { name: 'Copy view link' }).click()
    await expect.poll(() => alice.clipboard(), until).toBe(viewLink)

    // Forwards and backwards, focus never leaves the dialog.
    const focusInDialog = () => alice.page.evaluate(() => !!document.activeElement?.closest('dialog'))
    for (const key of [...Array(9).fill('Tab'), ...Array(9).fill('Shift+Tab')]) {
      await alice.page.keyboard.press(key)
      expect(await focusInDialog(), key).toBe(true)
    }

    await alice.page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await alice.page.evaluate(() => document.activeElement?.textContent)).toBe('Share')
  })

  test('a view link says it is view-only, offers no sharing, and others see the viewer as viewing', async () => {
    const links = await createDocument()
    const alice = await enter('Alice')
    const victor = await enter('Victor')
    await alice.open(links.editUrl)
    await victor.open(links.viewUrl)

    await victor.page.getByText('View only').waitFor()
    expect(await victor.page.getByRole('button', { name: 'Share' }).count()).toBe(0)
    expect(await victor.page.getByRole('button', { name: /Reset links/ }).count()).toBe(0)
    await expect.poll(() => alice.people.allTextContents(), until).toEqual(['Alice (you)', 'Victor · viewing'])
    await expect.poll(() => victor.people.allTextContents(), until).toEqual(['Victor (you) · viewing', 'Alice'])
  })
})

describe('resetting the links from the Share dialog', () => {
  test('disconnects the browser on the old edit link; the resetter keeps editing on the new one', async () => {
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    const carol = await enter('Carol')
    const oldEditUrl = await alice.createDocumentFromHome()
    await bob.open(oldEditUrl)
    await alice.typeAtEnd('Written before the reset.')
    await expect.poll(() => bob.text(), until).toContain('Written before the reset.')

    const dialog = await openShareDialog(alice)
    const oldViewUrl = await dialog.getByRole('textbox', { name: 'View link' }).inputValue()
    await dialog.getByRole('button', { name: 'Reset links…' }).click()
    await dialog.getByText('everyone who opened the document through them is disconnected').waitFor()
    await dialog.getByRole('button', { name: 'Reset links', exact: true }).click()
    await dialog.getByRole('status').filter({ hasText: 'Links reset' }).waitFor()
    expect(await alice.page.evaluate(() => document.activeElement?.textContent)).toBe('Reset links…')

    await bob.page.getByRole('heading', { name: 'This link is no longer valid' }).waitFor()
    expect(await bob.editor.count()).toBe(0)

    // Alice is on the new edit link: in the dialog and in her address bar, without a reload.
    const newEditUrl = await dialog.getByRole('textbox', { name: 'Edit link' }).inputValue()
    expect(newEditUrl).not.toBe(oldEditUrl)
    expect(newEditUrl).toMatch(/\?t=e\.1\./)
    expect(await dialog.getByRole('textbox', { name: 'View link' }).inputValue()).toMatch(/\?t=v\.1\./)
    expect(alice.page.url()).toBe(newEditUrl)
    await alice.page.keyboard.press('Escape')
    await alice.connection.filter({ hasText: 'Connected' }).waitFor()
    await alice.typeAtEnd(' Written after it.')

    await carol.open(newEditUrl)
    await expect.poll(() => carol.text(), until).toContain('Written before the reset. Written after it.')
    expect(await alice.page.getByRole('heading', { name: 'This link is no longer valid' }).count()).toBe(0)

    // The old links open nothing any more, now or after a reload.
    for (const url of [oldEditUrl, oldViewUrl]) {
      await bob.page.goto(url)
      await bob.page.getByRole('heading', { name: 'This link is no longer valid' }).waitFor()
      expect(await bob.editor.count()).toBe(0)
    }
    await alice.page.reload()
    await alice.connection.filter({ hasText: 'Connected' }).waitFor()
    await expect.poll(() => alice.text(), until).toContain('Written before the reset. Written after it.')
  })
})

describe('the links API', () => {
  const call = (method: 'GET' | 'POST', docId: string, action: 'links' | 'reset-links', token?: string) =>
    fetch(`${webUrl()}/api/docs/${docId}/${action}`, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    })

  test('answers the current links to a current edit token only, and resets them', async () => {
    const links = await createDocument()
    expect((await call('GET', links.id, 'links')).status).toBe(401)
    expect((await call('GET', links.id, 'links', 'e.0.forged')).status).toBe(401)
    expect((await call('GET', links.id, 'links', links.sync.viewToken)).status).toBe(403)
    expect((await call('POST', links.id, 'reset-links', links.sync.viewToken)).status).toBe(403)
    // The token is taken from the Authorization header only, never from the URL.
    expect((await fetch(`${webUrl()}/api/docs/${links.id}/reset-links?t=${links.sync.editToken}`, { method: 'POST' })).status).toBe(401)
    const current = await call('GET', links.id, 'links', links.sync.editToken)
    expect(current.status).toBe(200)
    expect(await current.json()).toEqual(links)

    const reset = await call('POST', links.id, 'reset-links', links.sync.editToken)
    expect(reset.status).toBe(200)
    const fresh = (await reset.json()) as DocLinks
    expect(fresh.id).toBe(links.id)
    expect(fresh.sync.editToken).toMatch(/^e\.1\./)
    expect(fresh.sync.viewToken).toMatch(/^v\.1\./)
    expect((await call('GET', links.id, 'links', links.sync.editToken)).status).toBe(410)
    expect((await call('POST', links.id, 'reset-links', links.sync.editToken)).status).toBe(410)
    expect(await (await call('GET', links.id, 'links', fresh.sync.editToken)).json()).toEqual(fresh)
  })
})

describe('POST /api/docs', () => {
  test('is rate-limited per client address and answers 429 with Retry-After past the limit', async () => {
    const limit = Number(inject('e2eStack').env.CREATE_RATE_LIMIT ?? 30)
    // The stack is reached over loopback, as through a reverse proxy: X-Forwarded-For names the
    // client, read from the right past trusted (here loopback) hops.
    const create = (client: string) =>
      fetch(`${webUrl()}/api/docs`, { method: 'POST', headers: { 'x-forwarded-for': client } })
    const statuses = await Promise.all(Array.from({ length: limit }, () => create('198.51.100.7').then((r) => r.status)))
    expect(statuses).toEqual(Array(limit).fill(201))

    // One request may have earned its token back while the others ran (the bucket refills
    // continuously), so the refusal comes within a few more, never later.
    let refused: Response | undefined
    for (let extra = 0; extra < 5 && !refused; extra++) {
      // What the client wrote (left) is not believed; a trusted proxy's hop (right) is skipped.
      const response = await create('203.0.113.9, 198.51.100.7, 127.0.0.1')
      if (response.status === 429) refused = response
      else expect(response.status).toBe(201)
    }
    if (!refused) throw new Error(`no 429 after ${limit + 5} documents a minute from one address`)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(await refused.json()).toEqual({ error: 'rate-limited' })
    expect((await create('198.51.100.8')).status).toBe(201)
  })
})

describe('security headers', () => {
  test('every page gets a nonce-based Content-Security-Policy that allows the sync server, and the app works under it', async () => {
    const links = await createDocument()
    const { syncUrl } = inject('e2eStack')
    const policies: string[] = []
    for (const url of [`${webUrl()}/`, links.editUrl, `${webUrl()}/d/${links.id}?t=nonsense`]) {
      const response = await fetch(url)
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff')
      expect(response.headers.get('referrer-policy'), url).toBe('no-referrer')
      expect(response.headers.get('x-frame-options'), url).toBe('DENY')
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp, url).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22}' 'strict-dynamic'(;|$)/)
      expect(csp, url).toContain(`connect-src 'self' ${new URL(syncUrl).origin}`)
      expect(csp, url).toContain("frame-ancestors 'none'")
      expect(csp, url).toContain("object-src 'none'")
      policies.push(csp)
    }
    expect(new Set(policies).size).toBe(policies.length)

    const api = await fetch(`${webUrl()}/api/docs`, { method: 'POST' })
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
    expect(api.headers.get('referrer-policy')).toBe('no-referrer')

    // Under that policy the page hydrates and its WebSocket to the sync server connects (afterEach: no violations).
    const alice = await enter('Alice')
    await alice.open(links.editUrl)
    await alice.typeAtEnd('Works under the policy.')
    await expect.poll(() => alice.text(), until).toContain('Works under the policy.')
  })
})

/** What the hostile payloads below try besides setting window.__pwned: open a dialog, or load /pwned.png. */
function watchForAttacks(page: Page): string[] {
  const attempts: string[] = []
  page.on('dialog', (dialog) => {
    attempts.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  page.on('request', (request) => {
    if (request.url().includes('pwned')) attempts.push(`request: ${request.url()}`)
  })
  return attempts
}

/** Nothing in the rendered document can run script: no script-bearing elements, handlers or javascript: URLs. */
async function expectInert(actor: Actor) {
  const found = await actor.editor.evaluate((root) => {
    const problems: string[] = []
    for (const el of root.querySelectorAll('script, iframe, object, embed, img:not(.ProseMirror-separator), svg, style, link, meta, form')) problems.push(`<${el.localName}>`)
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) problems.push(`${el.localName}[${attr.name}]`)
        if (/^\s*(javascript|data|vbscript):/i.test(attr.value)) problems.push(`${el.localName}[${attr.name}=${attr.value}]`)
        // Style attributes belong to other people's carets only.
        if (attr.name === 'style' && !el.closest('.collaboration-carets__caret')) problems.push(`${el.localName}[style]`)
      }
    }
    return problems
  })
  expect(found, actor.name).toEqual([])
  expect(await actor.page.evaluate(() => (window as { __pwned?: unknown }).__pwned), actor.name).toBeUndefined()
}

const HOSTILE_HTML = `
<p>Paste begins.</p>
<script>window.__pwned = 'script'</script>
<img src="/pwned.png" onerror="window.__pwned = 'img'; alert('img')">
<p onclick="window.__pwned = 'onclick'" style="background: url(javascript:alert('style'))">A <strong onmouseover="alert('b')">bold</strong> word.</p>
<p><a href="javascript:window.__pwned = 'href'">a javascript link</a>, <a href=" JaVaScRiPt:alert('spaced')">another</a>,
  <a href="data:text/html,<script>alert('data')</script>">a data link</a> and <a href="https://example.com/ok">a real one</a>.</p>
<iframe src="javascript:parent.__pwned = 'iframe'"></iframe>
<iframe srcdoc="<script>parent.__pwned = 'srcdoc'</script>"></iframe>
<svg onload="window.__pwned = 'svg'"><script>window.__pwned = 'svg-script'</script></svg>
<details open ontoggle="window.__pwned = 'toggle'"><summary>s</summary>d</details>
<object data="javascript:window.__pwned = 'object'"></object>
<form action="javascript:alert('form')"><button>go</button></form>
<p>Paste ends.</p>`

// The Content-Security-Policy would stop inline handlers too: these browsers ignore it, so what
// is tested is the editor's schema alone. (With the policy on, Chrome still reports the handlers
// ProseMirror's paste parsing meets in its detached document, though none could run there.)
const withoutCsp = { bypassCSP: true }

describe('content safety', () => {
  test('pasted HTML with scripts, handlers and javascript: links renders inert in both browsers', async () => {
    const links = await createDocument()
    const alice = await enter('Alice', withoutCsp)
    const bob = await enter('Bob', withoutCsp)
    const attempts = [alice, bob].map((actor) => watchForAttacks(actor.page))
    await alice.open(links.editUrl)
    await bob.open(links.editUrl)

    await alice.editor.click()
    await alice.pasteHtml(HOSTILE_HTML)

    await expect.poll(() => bob.text(), until).toContain('Paste ends.')
    // The harmless parts survived: the schema parsed the paste, it did not just drop it.
    expect(await bob.text()).toContain('A bold word.')
    await bob.editor.locator('strong', { hasText: 'bold' }).waitFor()
    expect(await bob.editor.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toContain('https://example.com/ok')

    for (const actor of [alice, bob]) await expectInert(actor)
    expect(attempts.flat()).toEqual([])
  })

  test('elements and attributes outside the schema, written straight into the Y.Doc, render inert', async () => {
    const links = await createDocument()
    // A stock y-websocket client with an edit token, bypassing the editor entirely.
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(links.sync.url, links.id, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { token: links.sync.editToken },
    })
    try {
      await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
      doc.transact(() => {
        const element = (name: string, attributes: Record<string, string>, text?: string | Y.XmlText) => {
          const el = new Y.XmlElement(name)
          for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value)
          if (text !== undefined) el.insert(0, [typeof text === 'string' ? new Y.XmlText(text) : text])
          return el
        }
        const jsLink = new Y.XmlText()
        jsLink.insert(0, 'a link from the wire', { link: { href: "javascript:window.__pwned = 'yjs-link'", onclick: 'alert(1)' } })
        doc.getXmlFragment('default').insert(0, [
          element('script', {}, "window.__pwned = 'yjs-script'"),
          element('image', { src: '/pwned.png', onerror: "window.__pwned = 'yjs-image'" }),
          element('img', { src: '/pwned.png', onerror: "alert('yjs-img')" }),
          element('iframe', { srcdoc: "<script>parent.__pwned = 'yjs-iframe'</script>" }),
          element('paragraph', { onclick: "alert('yjs-onclick')", style: 'background: red', onmouseover: 'alert(1)' }, jsLink),
          element('heading', { level: '1 onmouseover=alert(1)' }, 'A heading with a forged level'),
          element('paragraph', {}, 'Written on the wire.'),
        ])
      })

      // A viewer cannot repair the document: it renders the hostile content as it is stored.
      const victor = await enter('Victor', withoutCsp)
      const alice = await enter('Alice', withoutCsp)
      const attempts = [victor, alice].map((actor) => watchForAttacks(actor.page))
      await victor.open(links.viewUrl)
      await expect.poll(() => victor.text(), until).toContain('Written on the wire.')
      expect(await victor.text()).toContain('a link from the wire')
      await expectInert(victor)

      await alice.open(links.editUrl)
      await expect.poll(() => alice.text(), until).toContain('Written on the wire.')
      await expectInert(alice)
      expect(attempts.flat()).toEqual([])
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })
})
