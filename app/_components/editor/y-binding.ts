import type { EditorState } from '@tiptap/pm/state'
import { type ProsemirrorBinding, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

/** The y-tiptap binding between an editor and its Y.XmlFragment; null until the sync plugin's view has made it. */
export function bindingOf(state: EditorState): ProsemirrorBinding | null {
  return ySyncPluginKey.getState(state)?.binding ?? null
}

/** Where a Yjs relative position is in the binding's current document; null when its content is gone. */
export function absolutePosition(binding: ProsemirrorBinding, position: Y.RelativePosition): number | null {
  return relativePositionToAbsolutePosition(binding.doc, binding.type, position, binding.mapping)
}
