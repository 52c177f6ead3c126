import { parseJsonText, record, string } from './json-fields';

export interface UbusBoard {
  kind: 'ok';
  hostname?: string;
  model?: string;
  boardName?: string;
  kernel?: string;
  system?: string;
  rootfsType?: string;
  release: {
    distribution?: string;
    version?: string;
    revision?: string;
    target?: string;
    description?: string;
  };
}

export type UbusBoardResult = UbusBoard | { kind: 'error'; message: string };

/** `ubus call system board` (procd). */
export function parseUbusSystemBoard(json: string): UbusBoardResult {
  const parsed = parseJsonText(json);
  if (parsed.kind === 'error') return parsed;
  const board = record(parsed.value);
  if (!board) return { kind: 'error', message: 'ubus system board output is not an object' };
  const releaseValue = record(board.release);
  const result: UbusBoard = { kind: 'ok', release: {} };
  assign(result, 'hostname', board.hostname);
  assign(result, 'model', board.model);
  assign(result, 'boardName', board.board_name);
  assign(result, 'kernel', board.kernel);
  assign(result, 'system', board.system);
  assign(result, 'rootfsType', board.rootfs_type);
  assign(result.release, 'distribution', releaseValue?.distribution);
  assign(result.release, 'version', releaseValue?.version);
  assign(result.release, 'revision', releaseValue?.revision);
  assign(result.release, 'target', releaseValue?.target);
  assign(result.release, 'description', releaseValue?.description);
  if (
    result.model === undefined &&
    result.boardName === undefined &&
    result.release.version === undefined
  ) {
    return {
      kind: 'error',
      message: 'ubus system board output has no model, board_name or release',
    };
  }
  return result;
}

function assign<T extends object>(target: T, key: keyof T, value: unknown): void {
  const text = string(value);
  if (text !== undefined) (target as Record<keyof T, unknown>)[key] = text;
}
