// Real Yjs clients, the ones users run: y-websocket's WebsocketProvider (for cowrite, the
// classic server and the relay) and HocuspocusProvider (for Hocuspocus). Used only where
// correctness is the point: what a fresh client sees, and when.
import { HocuspocusProvider } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { now } from './clock.mjs'

export const TEXT_NAME = 'bench'

/** `ws`, noting when the socket opened and when its first message arrived (before any handler runs). */
function timedWebSocket(marks) {
  return class TimedWebSocket extends WebSocket {
    constructor(...args) {
      super(...args)
      this.once('open', () => (marks.openAt ??= now()))
      this.once('message', () => (marks.firstMessageAt ??= now()))
    }
  }
}

function connect(spec, doc, marks) {
  const WebSocketPolyfill = timedWebSocket(marks)
  if (spec.dialect === 'hocuspocus') {
    const provider = new HocuspocusProvider({
      url: spec.base,
      name: spec.docName,
      document: doc,
      token: spec.token,
      WebSocketPolyfill,
    })
    return { onSynced: (cb) => provider.on('synced', cb), destroy: () => provider.destroy() }
  }
  const provider = new WebsocketProvider(spec.base, spec.docName, doc, {
    WebSocketPolyfill,
    disableBc: true,
    params: spec.params,
  })
  return { onSynced: (cb) => provider.on('sync', (synced) => synced && cb()), destroy: () => provider.destroy() }
}

/**
 * Opens a fresh client on `spec` and waits until its text has `expectLength` characters.
 * Returns when it said "synced" (and the length then), when the text was complete, and the text.
 */
export async function loadDocument(spec, { expectLength, timeoutMs }) {
  const doc = new Y.Doc()
  const text = doc.getText(TEXT_NAME)
  const startedAt = now()
  let syncedMs = null
  let lengthAtSynced = null
  let fullMs = null
  const marks = {}
  const connection = connect(spec, doc, marks)
  try {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      const check = () => {
        if (fullMs === null && text.length >= expectLength) {
          fullMs = now() - startedAt
          if (syncedMs !== null) {
            clearTimeout(timer)
            resolve()
          }
        }
      }
      connection.onSynced(() => {
        if (syncedMs !== null) return
        syncedMs = now() - startedAt
        lengthAtSynced = text.length
        check()
        if (fullMs !== null) {
          clearTimeout(timer)
          resolve()
        }
      })
      doc.on('update', check)
    })
    const since = (at) => (at === undefined ? null : at - startedAt)
    return {
      syncedMs,
      lengthAtSynced,
      fullMs,
      openMs: since(marks.openAt),
      firstMessageMs: since(marks.firstMessageAt),
      length: text.length,
      text: text.toString(),
    }
  } finally {
    connection.destroy()
    doc.destroy()
  }
}
