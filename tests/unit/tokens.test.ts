import { describe, expect, it } from 'vitest'
import { isDocId, newDocId } from '../../lib/doc-id'
import { docLinks } from '../../lib/links'
import { signToken, verifyToken } from '../../lib/tokens'

const secret = 'unit-test-secret-0123456789abcdefghij'

describe('document ids', () => {
  it('are 128-bit base64url and unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, newDocId))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(isDocId(id)).toBe(true)
    expect(isDocId('short')).toBe(false)
    expect(isDocId('a'.repeat(21) + '/')).toBe(false)
  })
})

describe('tokens', () => {
  const docId = newDocId()

  it('verify for the document and role they were signed for', () => {
    expect(verifyToken(secret, docId, signToken(secret, { docId, role: 'edit', generation: 0 }))).toEqual({ docId, role: 'edit', generation: 0 })
    expect(verifyToken(secret, docId, signToken(secret, { docId, role: 'view', generation: 3 }))).toEqual({ docId, role: 'view', generation: 3 })
  })

  it('cannot be turned from view into edit, moved to another document or generation, or forged', () => {
    const view = signToken(secret, { docId, role: 'view', generation: 0 })
    expect(verifyToken(secret, docId, 'e' + view.slice(1))).toBeNull()
    expect(verifyToken(secret, docId, view.replace('.0.', '.1.'))).toBeNull()
    expect(verifyToken(secret, newDocId(), view)).toBeNull()
    expect(verifyToken('another-secret-0123456789abcdefghijkl', docId, view)).toBeNull()
    expect(verifyToken(secret, docId, view.slice(0, -1))).toBeNull()
    expect(verifyToken(secret, docId, view + 'A')).toBeNull()
    expect(verifyToken(secret, docId, undefined)).toBeNull()
    expect(verifyToken(secret, docId, '')).toBeNull()
  })

  it('make the links JSON of PRODUCT.md', () => {
    const links = docLinks({ publicUrl: 'https://docs.example.com/', syncUrl: 'wss://docs.example.com/sync', secret }, docId)
    expect(links.id).toBe(docId)
    expect(links.editUrl).toBe(`https://docs.example.com/d/${docId}?t=${links.sync.editToken}`)
    expect(links.viewUrl).toBe(`https://docs.example.com/d/${docId}?t=${links.sync.viewToken}`)
    expect(verifyToken(secret, docId, links.sync.editToken)?.role).toBe('edit')
    expect(verifyToken(secret, docId, links.sync.viewToken)?.role).toBe('view')
  })
})
