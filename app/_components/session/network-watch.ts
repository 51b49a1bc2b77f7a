import type { WebsocketProvider } from 'y-websocket'

/**
 * A socket on a dead network can take y-websocket 30 seconds to notice (its watchdog). When the
 * browser knows it went offline, the socket is closed at once; y-websocket then keeps retrying
 * and reconnects when the network is back.
 */
export function watchNetwork(provider: WebsocketProvider): () => void {
  const onOffline = () => provider.ws?.close()
  window.addEventListener('offline', onOffline)
  return () => window.removeEventListener('offline', onOffline)
}
