import type { Editor } from '@tiptap/core'
import { useEffect, useRef } from 'react'

/** Ctrl/⌘-K in the text opens the link dialog (instead of the browser's search bar). */
export function useLinkShortcut(editor: Editor, open: () => void): void {
  const latest = useRef(open)
  latest.current = open
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const inText = event.target instanceof Node && !editor.isDestroyed && editor.view.dom.contains(event.target)
      if (inText && (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault()
        latest.current()
      }
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [editor])
}
