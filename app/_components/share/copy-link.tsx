'use client'

import { useEffect, useId, useRef, useState } from 'react'

type Props = { label: string; grants: string; url: string | null }

const CONFIRMATION_MS = 2_000

/** One link with what it grants, and a button that copies it. */
export function CopyLink({ label, grants, url }: Props) {
  const input = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState(false)
  const grantsId = useId()

  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), CONFIRMATION_MS)
    return () => clearTimeout(timer)
  }, [copied])

  async function copy() {
    if (!url || !input.current) return
    setCopied(await copyText(url, input.current))
  }

  return (
    <div className="share__link">
      <label>
        <span className="share__label">{label}</span>
        <input ref={input} readOnly value={url ?? 'Loading…'} aria-describedby={grantsId} onFocus={(e) => e.target.select()} />
      </label>
      <p id={grantsId} className="share__grants">
        {grants}
      </p>
      <div className="share__row">
        <button type="button" className="button button--small" onClick={copy} disabled={!url}>
          Copy {label.toLowerCase()}
        </button>
        <span className="share__copied" role="status">
          {copied ? 'Copied' : ''}
        </span>
      </div>
    </div>
  )
}

/**
 * The async clipboard needs a secure context (https or localhost); on a plain-HTTP host the
 * selected text is copied the old way.
 */
async function copyText(text: string, field: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    field.select()
    return document.execCommand('copy')
  }
}
