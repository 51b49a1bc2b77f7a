import type * as Y from 'yjs'

/**
 * The binding's cache of ProseMirror nodes per Yjs type. y-tiptap clears it on every remote
 * change and so rebuilds every node of the document for one typed character (tens of
 * milliseconds in a long document). The binding already drops the entries of changed and
 * deleted types before rebuilding, as upstream y-prosemirror does; this cache ignores the extra
 * clearing while Yjs calls its observers, so unchanged paragraphs keep their nodes. Full
 * re-renders outside observers (the first render) still clear it.
 */
export class IncrementalMapping<K, V> extends Map<K, V> {
  #observing = false

  constructor(ydoc: Y.Doc, entries: Iterable<readonly [K, V]> = []) {
    super(entries)
    ydoc.on('beforeObserverCalls', () => {
      this.#observing = true
    })
    ydoc.on('afterTransaction', () => {
      this.#observing = false
    })
  }

  override clear(): void {
    if (!this.#observing) super.clear()
  }
}
