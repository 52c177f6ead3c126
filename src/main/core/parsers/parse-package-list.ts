import { splitLines } from './text-lines';

export interface InstalledPackage {
  name: string;
  version: string;
}

export interface ApkPackage extends InstalledPackage {
  arch?: string;
  origin?: string;
  license?: string;
  installed: boolean;
}

/** `opkg list-installed`: `name - version` per line (`opkg list` adds ` - description`). */
export function parseOpkgList(text: string): InstalledPackage[] {
  return splitLines(text).flatMap((line) => {
    const parts = line.split(' - ');
    const name = parts[0]?.trim();
    const version = parts[1]?.trim();
    if (!name || !version || /\s/.test(name)) return [];
    return [{ name, version }];
  });
}

/** `apk list --installed` (OpenWrt 25.x): `name-version arch {origin} (license) [installed]`. */
export function parseApkList(text: string): ApkPackage[] {
  return splitLines(text).flatMap((line) => {
    const match = /^(\S+)\s+(\S+)\s+\{([^}]*)\}\s+\(([^)]*)\)\s*(.*)$/.exec(line.trim());
    if (!match) return [];
    const split = splitNameVersion(match[1] ?? '');
    if (!split) return [];
    const entry: ApkPackage = { ...split, installed: /\[installed\]/.test(match[5] ?? '') };
    if (match[2]) entry.arch = match[2];
    if (match[3]) entry.origin = match[3];
    if (match[4]) entry.license = match[4];
    return [entry];
  });
}

/**
 * apk joins name and version with '-', and names contain dashes and digits too
 * (`kmod-8021q-6.6.1-r1`), so the version is the first dash-suffix that is a whole version:
 * starts with a digit, no further dash except a trailing `-rN` release.
 */
export function splitNameVersion(nameVersion: string): InstalledPackage | undefined {
  for (
    let index = nameVersion.indexOf('-');
    index > 0;
    index = nameVersion.indexOf('-', index + 1)
  ) {
    const version = nameVersion.slice(index + 1);
    if (/^\d[^-]*(?:-r\d+)?$/.test(version)) return { name: nameVersion.slice(0, index), version };
  }
  return undefined;
}
