import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { readUciConfig, UciError } from '../uci';
import type { UciSection } from '../uci';

export type { UciSection };

export const CONF_DIR = '/etc/config';

export function loadSections(name: string): UciSection[] {
  try {
    return readUciConfig(CONF_DIR, name).sections;
  } catch (e) {
    // a missing config file means "nothing configured", as for OpenWrt's services
    if (e instanceof UciError && e.code === 3) return [];
    throw e;
  }
}

export function opt(s: UciSection, key: string): string | undefined {
  const v = s.options[key];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(' ') : v;
}

/** A list option, or an option holding space-separated words (uci accepts both for lists). */
export function list(s: UciSection, key: string): string[] {
  const v = s.options[key];
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap((x) => x.split(/\s+/)).filter((x) => x !== '');
  return v.split(/\s+/).filter((x) => x !== '');
}

export function bool(s: UciSection, key: string, fallback: boolean): boolean {
  const v = opt(s, key);
  if (v === undefined) return fallback;
  return ['1', 'on', 'true', 'yes', 'enabled'].includes(v);
}

export function int(s: UciSection, key: string): number | undefined {
  const v = opt(s, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${s.name}.${key}: '${v}' is not a number`);
  return Number(v);
}

export class ConfigError extends Error {}

export interface LabStation {
  name: string;
  ssid: string;
  pid: number;
  mac: string;
}

export interface LabPackage {
  name: string;
  version: string;
}

/** What the lab tells a node about itself, in the node's private /var/run. */
export interface LabNodeInfo {
  node: string;
  stations: LabStation[];
  /** holder of the lab's namespace for the far ends of unplugged ports */
  jacksPid: number;
  packages: LabPackage[];
  packageManager: 'opkg' | 'apk';
  board: { model: string; boardName: string; target: string; system?: string; kernel?: string };
  udhcpcScript: string;
}

export const LAB_INFO_PATH = '/var/run/homeward-lab.json';

export function labInfo(): LabNodeInfo {
  return JSON.parse(readFileSync(LAB_INFO_PATH, 'utf8')) as LabNodeInfo;
}

export function readState<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

export function writeState(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 1));
}

export function prefixToMask(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function maskToPrefix(mask: string): number {
  return mask
    .split('.')
    .map(Number)
    .reduce((acc, o) => acc + (o.toString(2).match(/1/g)?.length ?? 0), 0);
}

/** OpenWrt accepts 'ipaddr' as 'a.b.c.d' (with 'netmask') or as CIDR, option or list. */
export function staticAddresses(s: UciSection): string[] {
  const netmask = opt(s, 'netmask');
  return list(s, 'ipaddr').map((a) => {
    if (a.includes('/')) return a;
    return `${a}/${netmask === undefined ? 32 : maskToPrefix(netmask)}`;
  });
}
