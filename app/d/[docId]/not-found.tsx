import Link from 'next/link'

export default function InvalidLink() {
  return (
    <main className="notice">
      <h1>This link is not valid</h1>
      <p>It may be mistyped, or it was copied only in part. Ask whoever shared it for the full link.</p>
      <Link href="/">Go to cowrite</Link>
    </main>
  )
}
