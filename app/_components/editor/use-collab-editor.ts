import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import { CharacterCount, Placeholder } from '@tiptap/extensions'
import { type Editor, useEditor } from '@tiptap/react'
import { useEffect } from 'react'
import { editorExtensions } from '../../../lib/editor-extensions'
import type { LocalUser } from '../presence/local-user'
import type { Session } from '../session/open-session'
import { deferCaretBroadcast } from './caret-broadcast'
import { documentCollaboration } from './collaboration'
import { UndoCaret } from './undo-caret'

/**
 * The rich text of one document, bound to its Y.Doc; others' carets come from awareness.
 * Nothing here re-renders React on a transaction: the parts that show editor state select
 * what they need (useEditorState), and counts are computed when typing pauses.
 */
export function useCollabEditor(session: Session, user: LocalUser): Editor | null {
  const editable = session.role === 'edit'
  const editor = useEditor(
    {
      immediatelyRender: false,
      shouldRerenderOnTransaction: false,
      // The core extension that reports deleted content ('delete' events, which nothing here
      // listens to) compares every transaction's changes in a task of its own after each keystroke.
      enableCoreExtensions: { delete: false },
      editable,
      extensions: [
        ...editorExtensions(),
        documentCollaboration(session.ydoc),
        CollaborationCaret.configure({ provider: session.provider, user }),
        UndoCaret,
        Placeholder.configure({ placeholder: editable ? 'Start writing…' : 'This document is empty.', showOnlyWhenEditable: false }),
        CharacterCount.configure({ wordCounter: (text) => text.split(/\s+/).filter(Boolean).length }),
      ],
      editorProps: {
        attributes: { id: 'document-text', role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Document text', class: 'editor__content' },
      },
    },
    [session],
  )

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable)
  }, [editor, editable])

  useEffect(() => deferCaretBroadcast(session.provider.awareness), [session])

  return editor
}
