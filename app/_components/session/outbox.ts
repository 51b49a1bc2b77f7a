import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { mergeUpdates } from '../../../lib/merge-updates'

export type Outbox = {
  /** After each send of this browser's edits: what asks the server about them must follow them. */
  onSent(cb: () => void): () => void
  /** Sends what is waiting and stops deferring. */
  destroy(): void
}

// The latest an edit goes out: a hidden page draws no frames, a busy one may have no idle moment.
const LATEST_MS = 50

type PostTask = (task: () => void, options: { priority: 'background' }) => Promise<void>
// Not in TypeScript's DOM types yet; missing in Safari.
const scheduler = (globalThis as { scheduler?: { postTask: PostTask } }).scheduler

/** Runs `task` after the page's other waiting work (input, messages, timers). */
function afterWaitingTasks(task: () => void) {
  if (scheduler) void scheduler.postTask(task, { priority: 'background' })
  else setTimeout(task, 0)
}

/**
 * y-websocket encodes and sends each of this browser's edits on the keystroke's path, and the
 * other side (the server, the other tabs) starts its work while this page is still drawing the
 * character. Edits are sent once the frame that shows them is painted instead, gathered into one
 * update: a frame later for the others, nothing in the way of the keystroke here.
 */
export function deferUpdates(ydoc: Y.Doc, provider: WebsocketProvider): Outbox {
  const listeners = new Set<() => void>()
  let pending: Uint8Array[] = []
  let frame: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  const send = () => {
    cancelAnimationFrame(frame ?? 0)
    clearTimeout(timer)
    frame = timer = undefined
    if (pending.length === 0) return
    const update = mergeUpdates(pending)
    pending = []
    provider._updateHandler(update, null)
    for (const cb of listeners) cb()
  }
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) return
    pending.push(update)
    if (timer !== undefined) return
    // A frame's animation callbacks run before it is painted; a task queued there runs after.
    frame = requestAnimationFrame(() => afterWaitingTasks(send))
    timer = setTimeout(send, LATEST_MS)
  }

  ydoc.off('update', provider._updateHandler)
  ydoc.on('update', onUpdate)
  return {
    onSent(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    destroy() {
      ydoc.off('update', onUpdate)
      send()
      listeners.clear()
      ydoc.on('update', provider._updateHandler)
    },
  }
}
