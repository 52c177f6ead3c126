import { app, BrowserWindow, ipcMain, safeStorage, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultDataDir } from './adapters/storage/data-dir';
import { openDefaultHistoryStore } from './adapters/storage/history-store';
import { fetchLocalNetwork } from './adapters/system/local-network';
import { registerIpc } from './electron/ipc';
import { createSafeStorageSecretStore } from './electron/safe-storage-secrets';
import { contentSecurityPolicy } from './host/csp';
import { createDoctorDeps } from './services/doctor/deps';
import { createSetupDeps } from './services/setup/connect';
import { createServices } from './services/index';

// Composition root of the Electron shell: adapters -> services -> IPC -> window. Everything with
// logic lives in services/core so the browser host and the CLI share it.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];

// The keychain is usable only once the app is ready; secrets are first needed after that.
let secretsStore: ReturnType<typeof createSafeStorageSecretStore> | undefined;
const secrets = () =>
  (secretsStore ??= createSafeStorageSecretStore(safeStorage, path.join(defaultDataDir(), 'keys')));

const services = createServices({
  shell: 'electron',
  version: app.getVersion(),
  platform: process.platform,
  fetchLocalNetwork,
  doctorDeps: () => createDoctorDeps(secrets()),
  setupDeps: () => ({ ...createSetupDeps(), secrets: secrets() }),
  openHistory: () => openDefaultHistoryStore(),
});

let mainWindow: BrowserWindow | undefined;

function isOwnUrl(url: string): boolean {
  if (devServerUrl) return url.startsWith(devServerUrl);
  return (
    url === pathToFileURL(rendererIndex).href ||
    url.startsWith(pathToFileURL(rendererIndex).href + '#')
  );
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Homeward',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererIndex);
  return win;
}

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          contentSecurityPolicy({ connectSelfWebSocket: Boolean(devServerUrl) }),
        ],
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  mainWindow = createWindow();
  const unregister = registerIpc(
    ipcMain,
    services,
    (event) => event.sender === mainWindow?.webContents && isOwnUrl(event.senderFrame?.url ?? ''),
    () => (mainWindow ? [mainWindow.webContents] : []),
  );
  app.on('before-quit', () => {
    unregister();
    void services.dispose();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
