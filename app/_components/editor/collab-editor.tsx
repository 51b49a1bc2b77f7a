'use client'

import { Collaboration } from '@tiptap/extension-collaboration'
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect } from 'react'
import { editorExtensions } from '../../../lib/editor-extensions'
import type { LocalUser } from '../presence/local-user'
import type { Session } from '../session/open-session'

type Props = { session: Session; user: LocalUser; editable: boolean }

/** The rich text of one document, bound to its Y.Doc; others' carets come from awareness. */
export function CollabEditor({ session, user, editable }: Props) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        ...editorExtensions(),
        Collaboration.configure({ document: session.ydoc, field: 'default' }),
        CollaborationCaret.configure({ provider: session.provider, user }),
      ],
      editorProps: {
        attributes: { role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Document text', class: 'editor__content' },
      },
    },
    [session],
  )

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable)
  }, [editor, editable])

  return <EditorContent editor={editor} className="editor" />
}
