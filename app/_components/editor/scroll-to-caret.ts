import type { Editor } from '@tiptap/core'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { absolutePosition, bindingOf } from './y-binding'

/**
 * Scrolls the page to where a person's caret is: their awareness `cursor` is a Yjs relative
 * position, resolved against this editor's current document. Nothing happens when they have none.
 */
export function scrollToCaret(editor: Editor, awareness: Awareness, clientId: number): void {
  const head: unknown = awareness.getStates().get(clientId)?.cursor?.head
  const binding = bindingOf(editor.state)
  if (!head || !binding) return
  const pos = absolutePosition(binding, Y.createRelativePositionFromJSON(head))
  if (pos === null) return
  const { node } = editor.view.domAtPos(Math.min(pos, editor.state.doc.content.size))
  const element = node instanceof Element ? node : node.parentElement
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches
  element?.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' })
}
