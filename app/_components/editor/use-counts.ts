import type { Editor } from '@tiptap/core'
import { useMemo, useSyncExternalStore } from 'react'

export type Counts = { words: number; characters: number }

// Counting walks the whole document: in a long one it waits until typing pauses.
const SETTLE_MS = 250

export function useCounts(editor: Editor): Counts {
  const store = useMemo(() => countStore(editor), [editor])
  return useSyncExternalStore(store.subscribe, store.snapshot, store.snapshot)
}

function countStore(editor: Editor) {
  const count = (): Counts => ({
    words: editor.storage.characterCount.words(),
    characters: editor.storage.characterCount.characters(),
  })
  let counts = count()
  return {
    subscribe(cb: () => void) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const onUpdate = () => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          counts = count()
          cb()
        }, SETTLE_MS)
      }
      editor.on('update', onUpdate)
      return () => {
        clearTimeout(timer)
        editor.off('update', onUpdate)
      }
    },
    snapshot: () => counts,
  }
}
