import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { apiMethodNames, ipcEventChannel, ipcMethodChannel, type ApiReply } from '../common/api';
import type { AirsprayCore } from '../node/api/airspray-core';
import { dispatchApiCall } from '../node/api/dispatch-api-call';
import { isAppUrl } from './app-origin';

/** Only the top frame of one of our windows, showing our own origin, may call the API. */
function isTrustedSender(event: IpcMainInvokeEvent, trustedWebContentsIds: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  return (
    frame !== null &&
    trustedWebContentsIds.has(event.sender.id) &&
    frame === event.sender.mainFrame &&
    isAppUrl(frame.url)
  );
}

/** The desktop transport: one ipcMain.handle per contract method, each checking the sender before the payload. */
export function registerIpcHandlers(core: AirsprayCore, trustedWebContentsIds: ReadonlySet<number>): void {
  for (const method of apiMethodNames) {
    ipcMain.handle(ipcMethodChannel(method), async (event, params: unknown): Promise<ApiReply> => {
      if (!isTrustedSender(event, trustedWebContentsIds)) {
        console.error(`airspray: refused ${method} from an untrusted frame`);
        return { ok: false, error: { code: 'bad_request', message: 'This frame may not call the Airspray API.' } };
      }
      return dispatchApiCall(core.handlers, method, params);
    });
  }
}

/** Forwards core events to every trusted window. */
export function forwardCoreEvents(core: AirsprayCore, sendTo: (channel: string, payload: unknown) => void): () => void {
  return core.onEvent((event, payload) => sendTo(ipcEventChannel(event), payload));
}
