import { useMemo, useSyncExternalStore } from 'react'
import type { SaveState, SaveTracker } from '../session/save-tracker'

// While someone types, each keystroke is stored within milliseconds; flipping between "Saving…"
// and "Saved" on every one would flicker, and every React commit while the text has focus costs
// a walk over the document's text (React saves the selection). "Saved" waits for a pause.
const SETTLE_MS = 800

export function useSaveState(saves: SaveTracker): SaveState {
  const store = useMemo(() => settledStore(saves), [saves])
  return useSyncExternalStore(store.subscribe, store.state, () => 'saving')
}

/** The tracker's state, except that "Saved" shows only once it has held for a moment: never early. */
function settledStore(saves: SaveTracker) {
  let shown: SaveState = saves.state()
  return {
    state: () => shown,
    subscribe(cb: () => void) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const show = (next: SaveState) => {
        if (shown === next) return
        shown = next
        cb()
      }
      const update = () => {
        clearTimeout(timer)
        const next = saves.state()
        if (next !== 'saved') show(next)
        else if (shown !== 'saved') timer = setTimeout(() => show(saves.state()), SETTLE_MS)
      }
      const unsubscribe = saves.onChange(update)
      update()
      return () => {
        clearTimeout(timer)
        unsubscribe()
      }
    },
  }
}
