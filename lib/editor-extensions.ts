import type { AnyExtension } from '@tiptap/core'
import { Highlight } from '@tiptap/extension-highlight'
import { TaskItem, TaskList } from '@tiptap/extension-list'
import { TableKit } from '@tiptap/extension-table'
import { TextAlign } from '@tiptap/extension-text-align'
import StarterKit from '@tiptap/starter-kit'

/**
 * The document schema, shared by the browser editor and any server-side reader of
 * `doc.getXmlFragment('default')`. Whatever is not in it (colours, fonts, images) is dropped
 * when pasted.
 * - undoRedo off: Collaboration brings a Yjs-aware undo; ProseMirror's history would undo other people's edits.
 * - trailingNode off: every client would append its own empty paragraph to a shared document
 *   (duplicates under concurrency), and a view-only client would write into its Y.Doc.
 * - links never open on a click while editing (the toolbar's link dialog opens them); in a
 *   read-only document they are ordinary links.
 */
export function editorExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      trailingNode: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    Highlight,
    TaskList,
    TaskItem.configure({ nested: true }),
    TableKit.configure({ table: { resizable: false } }),
    TextAlign.configure({ types: ['heading', 'paragraph'] }),
  ]
}
