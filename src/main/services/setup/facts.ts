import { randomBytes } from 'node:crypto';
import type { AppError } from '../../../shared/errors';
import { localizedError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type { SshSession } from '../../adapters/ssh/index';
import { parseApkList, parseOpkgList } from '../../core/parsers/parse-package-list';
import type { RouterFacts } from '../../core/setup/plan-setup';
import type { UciConfigs } from '../../core/uci/model';
import { parseUci } from '../../core/uci/parse';

export type RemoteShell = Pick<SshSession, 'exec' | 'writeFile'>;

export const setupConfigs = ['network', 'wireless', 'firewall', 'dhcp'] as const;

export interface EndFacts {
  facts: RouterFacts;
  /** `uci export NAME` exactly as printed, to prove a rollback restored every byte. */
  exports: Record<string, string>;
  /** `uci changes`: edits staged but not committed (LuCI's "unsaved changes"). */
  pendingChanges: string;
}

/**
 * Runs read-only commands in one round trip. The separator is random per call, so no config
 * value (an SSID could be anything) can fake it.
 */
export async function execSplit(
  shell: RemoteShell,
  commands: readonly string[],
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  const mark = `@@homeward-${randomBytes(8).toString('hex')}@@`;
  const script = commands.map((c) => `{ ${c} ; } 2>/dev/null`).join(`; echo '${mark}'; `);
  const result = await shell.exec(script, { timeoutMs: 20_000, ...(signal ? { signal } : {}) });
  if (result.error || result.cancelled || result.timedOut) return undefined;
  return result.stdout.split(`${mark}\n`);
}

/** The committed configs, package manager and installed packages of a router. */
export async function readEndFacts(
  shell: RemoteShell,
  what: string,
  signal?: AbortSignal,
): Promise<Result<EndFacts, AppError>> {
  const parts = await execSplit(
    shell,
    [
      'if command -v apk >/dev/null 2>&1; then echo apk; apk list --installed; else echo opkg; opkg list-installed; fi',
      ...setupConfigs.map((c) => `uci export ${c}`),
      'uci changes',
    ],
    signal,
  );
  const whatZh = what === 'router' ? '路由器' : '家里的路由器';
  if (!parts)
    return fail(
      localizedError(
        'remote-command-failed',
        { message: `The ${what} did not answer over SSH.` },
        { message: `${whatZh}没有通过 SSH 应答。` },
      ),
    );
  const [packagesText = '', ...rest] = parts;
  const [managerLine = '', ...packageLines] = packagesText.split('\n');
  const packageManager = managerLine.trim() === 'apk' ? 'apk' : 'opkg';
  const installedPackages = (
    packageManager === 'apk'
      ? parseApkList(packageLines.join('\n'))
      : parseOpkgList(packageLines.join('\n'))
  ).map((p) => p.name);
  const configs: UciConfigs = {};
  const exports: Record<string, string> = {};
  for (const [i, name] of setupConfigs.entries()) {
    const text = rest[i] ?? '';
    exports[name] = text;
    if (!text.trim()) continue;
    const parsed = parseUci(text);
    if (parsed.kind !== 'ok')
      return fail(
        localizedError(
          'remote-command-failed',
          {
            message: `The ${what}'s /etc/config/${name} cannot be read: ${parsed.message}.`,
            fix: `Check the file on the router (uci show ${name}).`,
          },
          {
            message: `无法读取${whatZh}的 /etc/config/${name}：${parsed.message}。`,
            fix: `请在路由器上检查该文件（uci show ${name}）。`,
          },
        ),
      );
    configs[name] = parsed.config;
  }
  if (!configs['network'])
    return fail(
      localizedError(
        'remote-command-failed',
        {
          message: `The ${what} has no readable /etc/config/network.`,
          fix: 'Is this an OpenWrt router? Homeward configures OpenWrt through uci.',
        },
        {
          message: `${whatZh}上没有可读取的 /etc/config/network。`,
          fix: '这是 OpenWrt 路由器吗？Homeward 通过 uci 配置 OpenWrt。',
        },
      ),
    );
  return ok({
    facts: { configs, packageManager, installedPackages },
    exports,
    pendingChanges: (rest[setupConfigs.length] ?? '').trim(),
  });
}

/** Re-reads the exports of the given configs (byte for byte). */
export async function readExports(
  shell: RemoteShell,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<Record<string, string> | undefined> {
  const parts = await execSplit(
    shell,
    names.map((c) => `uci export ${c}`),
    signal,
  );
  if (!parts) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, parts[i] ?? '']));
}
