import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core'
import { inject } from 'vitest'
import type { DocLinks } from '../../lib/links'

export const UI_TIMEOUT_MS = 15_000

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

/** A document made through the HTTP API, as another program would. */
export async function createDocument(): Promise<DocLinks> {
  const response = await fetch(`${inject('e2eStack').webUrl}/api/docs`, { method: 'POST' })
  if (response.status !== 201) throw new Error(`POST /api/docs answered ${response.status}`)
  return (await response.json()) as DocLinks
}

/** What the operator's `npm run cli -- reset-links <docId>` does, beside the running servers. */
export async function resetLinks(docId: string): Promise<DocLinks> {
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/cli.js', 'reset-links', docId], {
    env: inject('e2eStack').env,
  })
  return JSON.parse(stdout) as DocLinks
}

/** One person in their own browser profile, with what they see and do. */
export class Actor {
  /** What the browser refused under the page's Content-Security-Policy, as logged in its console. */
  readonly cspViolations: string[] = []

  private constructor(
    readonly name: string,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) this.cspViolations.push(message.text())
    })
  }

  /** `bypassCSP`: for tests that must show a defence holds without the Content-Security-Policy's help. */
  static async enter(browser: Browser, name: string, options: { bypassCSP?: boolean } = {}): Promise<Actor> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, ...options })
    context.setDefaultTimeout(UI_TIMEOUT_MS)
    return new Actor(name, context, await context.newPage())
  }

  /** What this person's clipboard holds (the page may read it: the permission is granted here). */
  async clipboard(): Promise<string> {
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(this.page.url()).origin })
    return this.page.evaluate(() => navigator.clipboard.readText())
  }

  /** Every y-websocket sync message this page sends, as [syncType, payload] (step 1 = 0, step 2 = 1, update = 2). */
  recordSyncMessages(): Array<[number, Uint8Array]> {
    const sent: Array<[number, Uint8Array]> = []
    this.page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload
        // messageSync = 0; the payload's varUint length is one byte for anything this small.
        if (bytes[0] === 0) sent.push([bytes[1], bytes.subarray(3)])
      }),
    )
    return sent
  }

  get editor(): Locator {
    return this.page.getByRole('textbox', { name: 'Document text' })
  }

  get connection(): Locator {
    return this.page.getByRole('status', { name: 'Connection' })
  }

  get people(): Locator {
    return this.page.getByRole('region', { name: 'People on this document' }).getByRole('listitem')
  }

  /** The label on another person's caret inside the document. */
  caretOf(other: Actor): Locator {
    return this.editor.locator('.collaboration-carets__label', { hasText: other.name })
  }

  async createDocumentFromHome(): Promise<string> {
    await this.page.goto(`${inject('e2eStack').webUrl}/`)
    await this.page.getByRole('button', { name: 'New document' }).click()
    await this.page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}\?t=/)
    await this.settleIn()
    return this.page.url()
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await this.settleIn()
  }

  async rename(name: string): Promise<void> {
    await this.page.getByLabel('Your name').fill(name)
  }

  async typeAtEnd(text: string): Promise<void> {
    await this.editor.click()
    await this.page.keyboard.press('Control+End')
    await this.page.keyboard.type(text)
  }

  /** Pastes into the editor as a web page or a word processor would: HTML, with a plain-text fallback. */
  async pasteHtml(html: string): Promise<void> {
    await this.page.evaluate((content) => {
      const data = new DataTransfer()
      data.setData('text/html', content)
      data.setData('text/plain', 'plain fallback')
      const target = document.querySelector('[role="textbox"][aria-label="Document text"]')
      target?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, html)
  }

  async text(): Promise<string> {
    return this.editor.innerText()
  }

  async leave(): Promise<void> {
    await this.context.close()
  }

  private async settleIn(): Promise<void> {
    await this.connection.filter({ hasText: 'Connected' }).waitFor()
    await this.rename(this.name)
  }
}
