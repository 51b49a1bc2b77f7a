import type { Node as PMNode } from '@tiptap/pm/model'
import { type ProsemirrorBinding, updateYFragment, ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/**
 * How the binding writes this editor's changes into Yjs, for long documents. Per keystroke,
 * y-tiptap compares every top-level block of the document with its Yjs counterpart, and saves the
 * selection as Yjs positions twice (four walks from the start of the document). Instead:
 * - when Yjs holds exactly the previous document and one top-level block changed (typing), only
 *   that block is compared and written;
 * - the selection is not saved while the write runs: it is saved for a remote change to put the
 *   caret back, and neither save is read during this editor's own write (the binding ignores its
 *   own transaction's events; undo steps keep the y-tiptap undo plugin's copy).
 * Returns the function the sync plugin's view update runs in: `write(previousDoc, update)`.
 */
export function localWrites(binding: ProsemirrorBinding): (previousDoc: PMNode, update: () => void) => void {
  // The document Yjs holds as of the last write. A remote change or an undo re-renders the editor
  // into a new document object, so `previousDoc === written` means nothing changed Yjs since.
  let written: PMNode | null = null
  let previous: PMNode | null = null
  binding._prosemirrorChanged = (doc: PMNode) => {
    const held = previous !== null && previous === written ? previous : null
    written = null
    binding.doc.transact(() => {
      if (!held || !writeChangedBlock(binding, held, doc)) updateYFragment(binding.doc, binding.type, doc, binding)
    }, ySyncPluginKey)
    written = doc
  }
  return (previousDoc, update) => {
    previous = previousDoc
    try {
      withoutSelectionSave(binding, update)
    } finally {
      previous = null
    }
  }
}

/** Writes the one top-level block that differs between `held` (what Yjs holds) and `doc`; false if not that case. */
function writeChangedBlock(binding: ProsemirrorBinding, held: PMNode, doc: PMNode): boolean {
  if (doc.childCount !== held.childCount || binding.type.length !== doc.childCount) return false
  let index = -1
  for (let i = 0; i < doc.childCount; i++) {
    if (doc.child(i) === held.child(i)) continue
    if (index !== -1) return false
    index = i
  }
  if (index === -1) return false
  const yBlock = binding.type.get(index)
  const block = doc.child(index)
  if (!(yBlock instanceof Y.XmlElement) || yBlock.nodeName !== block.type.name) return false
  binding.mapping.set(binding.type, doc)
  updateYFragment(binding.doc, yBlock, block, binding)
  return true
}

function withoutSelectionSave(binding: ProsemirrorBinding, write: () => void) {
  // Null between transactions, though y-tiptap's types do not say so.
  const saved = binding as { beforeTransactionSelection: object | null }
  if (saved.beforeTransactionSelection !== null) return write()
  saved.beforeTransactionSelection = NOT_SAVED
  try {
    write()
  } finally {
    // Unsaved for the next transaction, as it is once a transaction ends.
    if (saved.beforeTransactionSelection === NOT_SAVED) saved.beforeTransactionSelection = null
  }
}

// Never read (see above); only stops the binding's `beforeAllTransactions` from computing a selection.
const NOT_SAVED = { type: 'text', depth: undefined, anchor: null, head: null, absAnchor: 0, absHead: 0 }
