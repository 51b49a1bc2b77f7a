import type { AnyExtension } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'

/**
 * The document schema, shared by the browser editor and any server-side reader of
 * `doc.getXmlFragment('default')`.
 * - undoRedo off: Collaboration brings a Yjs-aware undo; ProseMirror's history would undo other people's edits.
 * - trailingNode off: every client would append its own empty paragraph to a shared document
 *   (duplicates under concurrency), and a view-only client would write into its Y.Doc.
 */
export function editorExtensions(): AnyExtension[] {
  return [StarterKit.configure({ undoRedo: false, trailingNode: false })]
}
