import type { AnyExtension } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'

/**
 * The document schema, shared by the browser editor and any server-side reader of
 * `doc.getXmlFragment('default')`. Collaboration brings its own Yjs-aware undo, so
 * StarterKit's ProseMirror history must stay off (it would undo other people's edits).
 */
export function editorExtensions(): AnyExtension[] {
  return [StarterKit.configure({ undoRedo: false })]
}
