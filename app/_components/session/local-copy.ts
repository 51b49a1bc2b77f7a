import * as idb from 'lib0/indexeddb'
import { IndexeddbPersistence } from 'y-indexeddb'
import type * as Y from 'yjs'
import { mergeUpdates } from '../../../lib/merge-updates'

/**
 * This device's copy of a document, in IndexedDB (y-indexeddb): the page shows it before the
 * server answers, and edits made offline survive a reload and go out on the next connection.
 */
export type LocalCopy = {
  /**
   * Writes what is waiting, and resolves once every update the Y.Doc has had so far is committed
   * to IndexedDB; never, where IndexedDB is unavailable (a private window that refuses it).
   */
  flushed(): Promise<void>
  /** Deletes this device's copy (the document was deleted on the server). */
  clear(): void
  destroy(): void
}

// y-indexeddb writes every update in an IndexedDB transaction of its own, on the keystroke's
// path (about a millisecond each). Updates are gathered and written together instead; online,
// the server holds them within milliseconds anyway, and offline the save status waits for the
// write (flushed) before it says the changes are kept on this device.
const BATCH_MS = 300

export function openLocalCopy(docId: string, ydoc: Y.Doc): LocalCopy {
  const persistence = new IndexeddbPersistence(`cowrite:${docId}`, ydoc)
  ydoc.off('update', persistence._storeUpdate)
  let pending: Uint8Array[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let destroyed = false

  const write = () => {
    clearTimeout(timer)
    timer = undefined
    if (pending.length === 0 || destroyed) return
    // Before the database is open this is dropped, as y-indexeddb does: opening stores the whole document.
    persistence._storeUpdate(mergeUpdates(pending), null)
    pending = []
  }
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === persistence) return
    pending.push(update)
    timer ??= setTimeout(write, BATCH_MS)
  }
  const onHide = () => {
    if (document.visibilityState === 'hidden') write()
  }
  ydoc.on('update', onUpdate)
  document.addEventListener('visibilitychange', onHide)
  window.addEventListener('pagehide', write)

  const stop = () => {
    destroyed = true
    clearTimeout(timer)
    ydoc.off('update', onUpdate)
    document.removeEventListener('visibilitychange', onHide)
    window.removeEventListener('pagehide', write)
  }

  return {
    async flushed() {
      await persistence.whenSynced
      write()
      if (destroyed || !persistence.db) return new Promise<void>(() => {})
      // A read-only transaction over the store starts only after every read-write one created
      // before it (the writes above and y-indexeddb's own) has committed.
      const [updates] = idb.transact(persistence.db, ['updates'], 'readonly')
      await idb.count(updates)
    },
    clear() {
      stop()
      void persistence.clearData()
    },
    destroy() {
      write()
      stop()
      void persistence.destroy()
    },
  }
}
