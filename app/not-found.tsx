import Link from 'next/link'

export default function NotFound() {
  return (
    <main className="notice">
      <h1>Page not found</h1>
      <p>There is nothing at this address. A document link looks like /d/… followed by its key.</p>
      <Link href="/">Go to cowrite</Link>
    </main>
  )
}
