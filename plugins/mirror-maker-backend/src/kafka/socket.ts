import * as net from 'net';
import * as tls from 'tls';
import type { ISocketFactory } from 'kafkajs';

/** As in kafkajs's own socket factory. */
const KEEP_ALIVE_DELAY_MS = 60_000;

/** Lets kafkajs report its own connection timeout first. */
const GRACE_MS = 50;

/**
 * kafkajs's socket factory, plus: a socket that has not connected (TCP and,
 * with TLS, the handshake) within the connection timeout is destroyed.
 * kafkajs only ends and unrefs it, which leaves a SYN to a black-holed
 * address pending for minutes and keeps the process from exiting.
 */
export function boundedSocketFactory(
  connectionTimeoutMs: number,
): ISocketFactory {
  return ({ host, port, ssl, onConnect }) => {
    let connected = false;
    const ready = () => {
      connected = true;
      onConnect();
    };
    const socket = ssl
      ? tls.connect(
          {
            host,
            port,
            ...(net.isIP(host) ? {} : { servername: host }),
            ...ssl,
          },
          ready,
        )
      : net.connect({ host, port }, ready);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    const timer = setTimeout(() => {
      if (!connected) socket.destroy();
    }, connectionTimeoutMs + GRACE_MS);
    timer.unref();
    socket.once(ssl ? 'secureConnect' : 'connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
}
