import type { Awareness } from 'y-protocols/awareness'

// Short enough that others see the caret move with the text, long enough to leave the keystroke.
const DELAY_MS = 60

/**
 * y-prosemirror publishes this browser's caret on every keystroke, on the keystroke's path: an
 * awareness message, and a redraw of every caret shown in this editor, a few milliseconds in a
 * long document. The caret is published a moment later instead, once per burst of changes.
 * Returns a function that restores immediate publishing.
 */
export function deferCaretBroadcast(awareness: Awareness): () => void {
  const publish = awareness.setLocalStateField.bind(awareness)
  let timer: ReturnType<typeof setTimeout> | undefined
  let latest: unknown
  awareness.setLocalStateField = (field: string, value: unknown) => {
    if (field !== 'cursor') return publish(field, value)
    latest = value
    timer ??= setTimeout(() => {
      timer = undefined
      publish('cursor', latest)
    }, DELAY_MS)
  }
  return () => {
    clearTimeout(timer)
    // Back to the prototype's method.
    Reflect.deleteProperty(awareness, 'setLocalStateField')
  }
}
