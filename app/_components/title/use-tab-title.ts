import { useEffect } from 'react'
import { UNTITLED } from './use-title'

/** The browser tab shows the document's title. */
export function useTabTitle(title: string): void {
  useEffect(() => {
    const wanted = `${title.trim() || UNTITLED} – cowrite`
    const apply = () => {
      if (document.title !== wanted) document.title = wanted
    }
    apply()
    // Next streams the page's static <title> in after the first render; the document's wins.
    const observer = new MutationObserver(apply)
    observer.observe(document.head, { childList: true, subtree: true, characterData: true })
    return () => observer.disconnect()
  }, [title])
}
