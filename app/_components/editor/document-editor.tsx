'use client'

import type { Editor } from '@tiptap/core'
import { EditorContent } from '@tiptap/react'
import { useRecordVisit } from '../recent/use-record-visit'
import type { Session } from '../session/open-session'
import { TitleField } from '../title/title-field'
import { useTabTitle } from '../title/use-tab-title'
import { useTitle } from '../title/use-title'
import { Toolbar } from '../toolbar/toolbar'
import { WordCount } from './word-count'
import './editor.css'

/** The writing surface: toolbar (edit links only), title, text and counts. */
export function DocumentEditor({ session, editor }: { session: Session; editor: Editor | null }) {
  const editable = session.role === 'edit'
  const title = useTitle(session.ydoc)
  useTabTitle(title)
  useRecordVisit(session, title)

  return (
    <div className="page">
      {editable && editor && <Toolbar editor={editor} />}
      <article className="sheet">
        <TitleField ydoc={session.ydoc} title={title} editor={editor} editable={editable} />
        <EditorContent editor={editor} className="editor" />
      </article>
      {editor && <WordCount editor={editor} />}
    </div>
  )
}
