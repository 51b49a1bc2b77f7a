/**
 * Headers for every response. The Content-Security-Policy comes from proxy.ts, because it names
 * the sync server, which is runtime configuration.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          // Document links carry their token: never let them leave in a Referer header.
          { key: 'Referrer-Policy', value: 'no-referrer' },
          // For browsers without CSP frame-ancestors.
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ]
  },
}

export default nextConfig
