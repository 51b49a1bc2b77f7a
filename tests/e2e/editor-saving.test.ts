import { describe, expect, inject, test } from 'vitest'
import { type Actor, UI_TIMEOUT_MS, createDocument } from './actors'
import { screenshot } from './screenshots'
import { stage } from './stage'
import { SyncLine } from './sync-line'

const until = { timeout: UI_TIMEOUT_MS }
const { enter } = stage()

const saveStatus = (actor: Actor) => actor.page.getByRole('status', { name: 'Save status' })
const OFFLINE = 'Offline – changes kept on this device'

async function waitForStatus(actor: Actor, text: string) {
  await expect.poll(() => saveStatus(actor).innerText(), until).toBe(text)
}

describe('the save status', () => {
  test('says Saving… until the server has stored the edits, then Saved', async () => {
    const { editUrl } = await createDocument()
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    const line = await SyncLine.install(alice.page, inject('e2eStack').syncUrl)
    await alice.open(editUrl)
    await bob.open(editUrl)
    await waitForStatus(alice, 'Saved')

    line.holdAcknowledgements()
    await alice.typeAtEnd('Not confirmed yet.')
    await waitForStatus(alice, 'Saving…')
    // The server has the edit (Bob has it) but has not confirmed storing it: still not "Saved".
    await expect.poll(() => bob.text(), until).toContain('Not confirmed yet.')
    expect(await saveStatus(alice).innerText()).toBe('Saving…')
    await screenshot(alice.page, 'status-saving')

    line.releaseAcknowledgements()
    await waitForStatus(alice, 'Saved')
    await screenshot(alice.page, 'status-saved')
  })

  test('asks before the tab closes while edits are not saved, and not once they are', async () => {
    const { editUrl } = await createDocument()
    const alice = await enter('Alice')
    const line = await SyncLine.install(alice.page, inject('e2eStack').syncUrl)
    await alice.open(editUrl)
    await waitForStatus(alice, 'Saved')
    const dialogs: string[] = []
    alice.page.on('dialog', (dialog) => {
      dialogs.push(dialog.type())
      void dialog.dismiss()
    })

    line.holdAcknowledgements()
    await alice.typeAtEnd('Unsaved words.')
    await waitForStatus(alice, 'Saving…')
    await alice.page.close({ runBeforeUnload: true })
    await expect.poll(() => dialogs, until).toEqual(['beforeunload'])
    // Dismissed: the page stays, with the text.
    expect(alice.page.isClosed()).toBe(false)
    expect(await alice.text()).toContain('Unsaved words.')

    line.releaseAcknowledgements()
    await waitForStatus(alice, 'Saved')
    await alice.page.reload()
    await expect.poll(() => alice.text(), until).toContain('Unsaved words.')
    expect(dialogs).toEqual(['beforeunload'])
  })

  test('says Offline when the network is gone, and Saved once it is back and the edits are stored', async () => {
    const { editUrl } = await createDocument()
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    await alice.open(editUrl)
    await bob.open(editUrl)
    await waitForStatus(alice, 'Saved')

    await alice.page.context().setOffline(true)
    await waitForStatus(alice, OFFLINE)
    await alice.typeAtEnd('Typed on a train.')
    await waitForStatus(alice, OFFLINE)
    await screenshot(alice.page, 'status-offline')
    expect(await bob.text()).not.toContain('Typed on a train.')

    await alice.page.context().setOffline(false)
    await waitForStatus(alice, 'Saved')
    await expect.poll(() => bob.text(), until).toContain('Typed on a train.')
  })
})

describe('offline editing', () => {
  test('edits made offline survive a reload and reach the others when the connection returns', async () => {
    const { editUrl } = await createDocument()
    const alice = await enter('Alice')
    const bob = await enter('Bob')
    const line = await SyncLine.install(alice.page, inject('e2eStack').syncUrl)
    await alice.open(editUrl)
    await bob.open(editUrl)
    await alice.typeAtEnd('Before the tunnel.')
    await expect.poll(() => bob.text(), until).toContain('Before the tunnel.')

    await line.cut()
    await waitForStatus(alice, OFFLINE)
    await alice.page.keyboard.press('Enter')
    await alice.page.keyboard.type('Written in the tunnel.')
    await waitForStatus(alice, OFFLINE)
    await bob.typeAtEnd(' Bob kept writing.')

    // Reloading asks first (the edits are not on the server); the page comes back from this
    // device's copy while the sync server is still out of reach.
    alice.page.once('dialog', (dialog) => void dialog.accept())
    await alice.page.reload()
    await expect.poll(() => alice.text(), until).toContain('Written in the tunnel.')
    await waitForStatus(alice, OFFLINE)
    expect(await alice.text()).not.toContain('Bob kept writing.')
    await screenshot(alice.page, 'offline-after-reload')

    line.restore()
    await expect.poll(() => bob.text(), until).toContain('Written in the tunnel.')
    await expect.poll(() => alice.text(), until).toContain('Bob kept writing.')
    await waitForStatus(alice, 'Saved')
  })
})
