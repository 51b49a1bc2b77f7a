import type { Editor } from '@tiptap/core'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'

type SyncState = { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: Parameters<typeof relativePositionToAbsolutePosition>[3] } | null }

/**
 * Scrolls the page to where a person's caret is: their awareness `cursor` is a Yjs relative
 * position, resolved against this editor's current document. False when they have no caret.
 */
export function scrollToCaret(editor: Editor, awareness: Awareness, clientId: number): boolean {
  const head: unknown = awareness.getStates().get(clientId)?.cursor?.head
  const sync: SyncState | undefined = ySyncPluginKey.getState(editor.state)
  if (!head || !sync?.binding) return false
  const pos = relativePositionToAbsolutePosition(sync.doc, sync.type, Y.createRelativePositionFromJSON(head), sync.binding.mapping)
  if (pos === null) return false
  const { node } = editor.view.domAtPos(Math.min(pos, editor.state.doc.content.size))
  const element = node instanceof Element ? node : node.parentElement
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches
  element?.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' })
  return true
}
