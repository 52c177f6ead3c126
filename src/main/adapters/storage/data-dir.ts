import { homedir } from 'node:os';
import path from 'node:path';

export interface DataDirInputs {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  homedir: string;
}

/**
 * Where Homeward keeps its data: HOMEWARD_DATA_DIR if set, else the platform's per-user data
 * directory (XDG on Linux and other Unixes, Application Support on macOS, roaming AppData on
 * Windows). The CLI and the app resolve the same place, so both see one history.
 */
export function resolveDataDir(inputs: DataDirInputs): string {
  const { env, platform } = inputs;
  const override = env.HOMEWARD_DATA_DIR?.trim();
  if (override) return override;
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(inputs.homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Homeward');
  }
  if (platform === 'darwin') {
    return path.posix.join(inputs.homedir, 'Library', 'Application Support', 'Homeward');
  }
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME?.trim();
  const base =
    xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(inputs.homedir, '.local', 'share');
  return path.posix.join(base, 'homeward');
}

export function defaultDataDir(): string {
  return resolveDataDir({ env: process.env, platform: process.platform, homedir: homedir() });
}
