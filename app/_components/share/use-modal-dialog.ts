import { type KeyboardEvent, type RefObject, useEffect, useRef } from 'react'

const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled), textarea:not(:disabled), select:not(:disabled), [tabindex]:not([tabindex="-1"])'

/**
 * A native modal <dialog>: showModal() makes the rest of the page inert and Escape cancels it
 * (focus returns to the opener). Tab and Shift+Tab wrap inside the dialog
 * instead of leaving for the browser's own controls.
 */
export function useModalDialog(onClose: () => void): {
  ref: RefObject<HTMLDialogElement | null>
  onKeyDown: (event: KeyboardEvent<HTMLDialogElement>) => void
} {
  const ref = useRef<HTMLDialogElement>(null)
  const close = useRef(onClose)
  close.current = onClose

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    // Escape is handled in its own keystroke's task: the browser's close event would come a task
    // later, and a key typed in between would land wherever the browser put the focus back
    // (in the text: at its start) before onClose could put it where it belongs.
    let cancelled = false
    const onCancel = (event: Event) => {
      event.preventDefault()
      cancelled = true
      dialog.close()
      close.current()
    }
    // Under StrictMode the effect runs twice: the first cleanup's close event arrives after the
    // dialog was opened again, and must not close it.
    const onNativeClose = () => {
      if (!dialog.open && !cancelled) close.current()
    }
    dialog.addEventListener('cancel', onCancel)
    dialog.addEventListener('close', onNativeClose)
    if (!dialog.open) dialog.showModal()
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      dialog.removeEventListener('close', onNativeClose)
      if (dialog.open) dialog.close()
      // The dialog may already be out of the document, where the browser cannot restore focus itself.
      opener?.focus()
    }
  }, [])

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab' || !ref.current) return
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE))
    if (items.length === 0) return
    const first = items[0]
    const last = items[items.length - 1]
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return { ref, onKeyDown }
}
