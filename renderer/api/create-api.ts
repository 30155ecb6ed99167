import type { AirsprayBridge } from '../../electron/common/api';
import type { AirsprayTransport } from './airspray-transport';
import { createIpcTransport } from './ipc-transport';
import { takeAccessToken } from './session-token';
import { createWsTransport } from './ws-transport';

declare global {
  interface Window {
    /** Put there by the desktop shell's preload script; absent in browser mode. */
    readonly airspray?: AirsprayBridge;
  }
}

/** Desktop shell when the preload bridge is there, otherwise browser mode over WebSocket. */
export function createApi(): AirsprayTransport {
  if (window.airspray) return createIpcTransport(window.airspray);
  const token = takeAccessToken({
    href: location.href,
    replaceHref: (href) => history.replaceState(history.state, '', href),
    storage: sessionStorage,
  });
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsTransport({ url: `${scheme}//${location.host}/api`, token });
}
