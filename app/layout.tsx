import type { Metadata } from 'next'
import { connection } from 'next/server'
import type { ReactNode } from 'react'
import './globals.css'

export const metadata: Metadata = {
  title: 'cowrite',
  description: 'A self-hosted collaborative editor',
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry the nonce of its Content-Security-Policy (proxy.ts).
  await connection()
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
