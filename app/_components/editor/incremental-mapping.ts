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
  readonly #ydoc: Y.Doc
  readonly #enter = () => {
    this.#observing = true
  }
  readonly #leave = () => {
    this.#observing = false
  }

  constructor(ydoc: Y.Doc, entries: Iterable<readonly [K, V]> = []) {
    super(entries)
    this.#ydoc = ydoc
    ydoc.on('beforeObserverCalls', this.#enter)
    ydoc.on('afterTransaction', this.#leave)
  }

  /** Stops following the document's transactions (the editor view that used it is gone). */
  dispose(): void {
    this.#ydoc.off('beforeObserverCalls', this.#enter)
    this.#ydoc.off('afterTransaction', this.#leave)
  }

  override clear(): void {
    if (!this.#observing) super.clear()
  }
}
