import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { apiEventNames, apiEvents, apiMethodNames, apiMethods, ipcEventChannel, ipcMethodChannel } from '../common/api';

/**
 * Exposes one named function per contract method and one subscription per event, each bound to its own channel:
 * the page can neither reach ipcRenderer nor pick a channel by name. The IPC event object is never passed on.
 */
const bridge: Record<string, unknown> = {};
for (const method of apiMethodNames) {
  const channel = ipcMethodChannel(method);
  bridge[apiMethods[method].exposeAs] = (params: unknown) => ipcRenderer.invoke(channel, params);
}
for (const event of apiEventNames) {
  const channel = ipcEventChannel(event);
  bridge[apiEvents[event].subscribeAs] = (listener: (payload: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

contextBridge.exposeInMainWorld('airspray', Object.freeze(bridge));
