import { type RefObject, useEffect } from 'react'

const ITEMS = 'button:not(:disabled), select:not(:disabled)'
const KEYS = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End'])

/**
 * The WAI-ARIA toolbar pattern: the toolbar is one Tab stop (the control last used), and
 * ←/→/Home/End move between its controls. Works on the DOM, so re-renders keep it.
 */
export function useRovingFocus(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = ref.current
    if (!root) return
    const items = () => Array.from(root.querySelectorAll<HTMLElement>(ITEMS)).filter((el) => !el.closest('dialog'))
    const makeCurrent = (current: HTMLElement) => {
      for (const item of items()) item.tabIndex = item === current ? 0 : -1
    }
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && items().includes(event.target)) makeCurrent(event.target)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      const list = items()
      const index = list.indexOf(event.target as HTMLElement)
      if (index < 0 || !KEYS.has(event.key)) return
      event.preventDefault()
      const next =
        event.key === 'Home' ? 0 : event.key === 'End' ? list.length - 1 : (index + (event.key === 'ArrowRight' ? 1 : -1) + list.length) % list.length
      list[next].focus()
    }
    // Controls that appear later (table tools) start out of the Tab order too.
    const observer = new MutationObserver(() => {
      const list = items()
      makeCurrent(list.find((item) => item.tabIndex === 0) ?? list[0])
    })
    makeCurrent(items()[0])
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] })
    root.addEventListener('focusin', onFocusIn)
    root.addEventListener('keydown', onKeyDown)
    return () => {
      observer.disconnect()
      root.removeEventListener('focusin', onFocusIn)
      root.removeEventListener('keydown', onKeyDown)
    }
  }, [ref])
}
