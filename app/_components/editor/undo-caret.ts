import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import { relativePositionToAbsolutePosition, ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

type Binding = {
  doc: Y.Doc
  type: Y.XmlFragment
  mapping: Parameters<typeof relativePositionToAbsolutePosition>[3]
  beforeTransactionSelection: unknown
}
type SavedSelection = { anchor: Y.RelativePosition; head: Y.RelativePosition }
type Popped = { stackItem: { meta: Map<unknown, SavedSelection | undefined> } }

/**
 * Undo and redo put the caret where the change was. y-tiptap keeps the selection with each undo
 * step but hands it over too late: Yjs announces a popped step after applying it, so the caret
 * stayed put and jumped at the next change from anyone. This applies it at once and clears the
 * leftover.
 */
export const UndoCaret = Extension.create({
  name: 'undoCaret',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('undoCaret'),
        view(view) {
          const undoManager: Y.UndoManager | undefined = yUndoPluginKey.getState(view.state)?.undoManager
          if (!undoManager) return {}
          const onPopped = ({ stackItem }: Popped) => {
            const binding: Binding | undefined = ySyncPluginKey.getState(view.state)?.binding
            const saved = binding && stackItem.meta.get(binding)
            if (!binding || !saved) return
            binding.beforeTransactionSelection = null
            const resolve = (position: Y.RelativePosition) =>
              relativePositionToAbsolutePosition(binding.doc, binding.type, position, binding.mapping)
            const anchor = resolve(saved.anchor)
            const head = resolve(saved.head)
            if (anchor === null || head === null) return
            const { doc } = view.state
            const clamp = (pos: number) => doc.resolve(Math.min(pos, doc.content.size))
            view.dispatch(view.state.tr.setSelection(TextSelection.between(clamp(anchor), clamp(head))).scrollIntoView())
          }
          undoManager.on('stack-item-popped', onPopped)
          return { destroy: () => undoManager.off('stack-item-popped', onPopped) }
        },
      }),
    ]
  },
})
