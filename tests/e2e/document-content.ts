import type { Actor } from './actors'

const HELPERS = '.collaboration-carets__caret, .ProseMirror-separator, .ProseMirror-trailingBreak'

/** The document's markup as this person's editor holds it, without others' carets and ProseMirror's helpers. */
export function documentHtml(actor: Actor): Promise<string> {
  return actor.editor.evaluate((element, helpers) => {
    const copy = element.cloneNode(true) as Element
    copy.querySelectorAll(helpers).forEach((node) => node.remove())
    return copy.innerHTML
  }, HELPERS)
}

/** The document's paragraphs' text, one per entry, without others' caret labels. */
export function documentLines(actor: Actor): Promise<string[]> {
  return actor.editor.evaluate((element, helpers) => {
    const copy = element.cloneNode(true) as Element
    copy.querySelectorAll(helpers).forEach((node) => node.remove())
    return Array.from(copy.children, (child) => child.textContent ?? '')
  }, HELPERS)
}
