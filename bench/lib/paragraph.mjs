import * as Y from 'yjs'
import { TEXT_NAME } from './real-client.mjs'

/** The characters simulated typists type, in order. */
export const LETTERS = 'etaoin shrdlu cmfwyp vbgkqj xz'

/** One update that inserts a paragraph of `chars` characters, from a client with `clientID`. */
export function paragraphUpdate(clientID, chars) {
  const doc = new Y.Doc()
  doc.clientID = clientID
  let paragraph = ''
  for (let i = 0; i < chars; i++) paragraph += LETTERS[(clientID + i) % LETTERS.length]
  doc.getText(TEXT_NAME).insert(0, paragraph)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
