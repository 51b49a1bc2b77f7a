import { useCallback, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

/** What an untitled document is called wherever its title would be shown. */
export const UNTITLED = 'Untitled document'

/** The title lives in `doc.getMap('meta').get('title')`; the sync server copies it into its metadata. */
function meta(ydoc: Y.Doc): Y.Map<unknown> {
  return ydoc.getMap('meta')
}

function readTitle(ydoc: Y.Doc): string {
  const title = meta(ydoc).get('title')
  return typeof title === 'string' ? title : ''
}

export function useTitle(ydoc: Y.Doc): string {
  const subscribe = useCallback(
    (cb: () => void) => {
      const observer = () => cb()
      meta(ydoc).observe(observer)
      return () => meta(ydoc).unobserve(observer)
    },
    [ydoc],
  )
  return useSyncExternalStore(subscribe, () => readTitle(ydoc), () => '')
}

/** Whole-string replacement: when two people retitle at once, the last one wins. */
export function setTitle(ydoc: Y.Doc, title: string): void {
  if (readTitle(ydoc) !== title) meta(ydoc).set('title', title)
}
