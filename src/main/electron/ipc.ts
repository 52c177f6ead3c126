import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { commandNames, ipcChannel } from '../../shared/api';
import { appError } from '../../shared/errors';
import { fail } from '../../shared/result';
import { dispatchCommand } from '../services/dispatch';
import type { Services } from '../services/index';

/** Binds every command of the contract to ipcMain, answering only our own window's frames. */
export function registerIpc(
  ipcMain: IpcMain,
  services: Services,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  broadcastTo: () => WebContents[],
): () => void {
  for (const command of commandNames) {
    ipcMain.handle(ipcChannel.command(command), async (event, ...args: unknown[]) => {
      if (!isTrustedSender(event)) {
        return fail(
          appError('invalid-request', 'Refused: the message did not come from Homeward.'),
        );
      }
      return dispatchCommand(services.handlers, command, args);
    });
  }
  const unsubscribe = services.events.onAny((event, payload) => {
    for (const contents of broadcastTo()) {
      if (!contents.isDestroyed()) contents.send(ipcChannel.event(event), ...payload);
    }
  });
  return () => {
    unsubscribe();
    for (const command of commandNames) ipcMain.removeHandler(ipcChannel.command(command));
  };
}
