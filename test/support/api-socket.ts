import WebSocket from 'ws';
import { wsSubprotocol, wsTokenProtocolPrefix, type WsServerMessage } from '../../electron/common/api';

export interface HandshakeOptions {
  token?: string;
  origin?: string;
  host?: string;
}

/**
 * Opens the API socket the way a browser would, with chosen token, Origin and Host; resolves with the socket or the
 * refusal status.
 */
export function connectApi(
  port: number,
  options: HandshakeOptions,
): Promise<{ socket: WebSocket } | { refusedWith: number }> {
  const protocols =
    options.token === undefined ? [wsSubprotocol] : [wsSubprotocol, `${wsTokenProtocolPrefix}${options.token}`];
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, protocols, {
    origin: options.origin ?? `http://127.0.0.1:${port}`,
    headers: options.host ? { Host: options.host } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refusedWith: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Collects server messages in order so a test can await the next one. */
export function messageQueue(socket: WebSocket): { next(): Promise<WsServerMessage> } {
  const buffered: WsServerMessage[] = [];
  const waiting: ((message: WsServerMessage) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as WsServerMessage;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else buffered.push(message);
  });
  return {
    next: () => {
      const message = buffered.shift();
      return message ? Promise.resolve(message) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}
