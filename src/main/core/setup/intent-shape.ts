import type { FieldError, SetupIntent } from '../../../shared/setup';
import { fieldError } from './validate';

// An intent file is JSON a person may have edited: check that every field has the right type
// before validateIntent looks at the values, and name the first field that does not.

type Kind = 'string' | 'number' | 'boolean' | 'object';
type Shape = { [key: string]: Kind | Shape | `${Kind}?` };

const wifiShape: Shape = {
  ssid: 'string',
  password: 'string',
  band: 'string',
  widthMhz: 'number',
  encryption: 'string',
};

const intentShape: Shape = {
  home: {
    endpointHost: 'string',
    endpointPort: 'number',
    tunnelAddress: 'string',
    publicKey: 'string',
    name: 'string',
    lanCidr: 'string?',
  },
  travel: {
    tunnelAddress: 'string',
    privateKey: 'string',
    publicKey: 'string',
    name: 'string',
    lanCidr: 'string?',
    lanAddress: 'string?',
  },
  presharedKey: 'string?',
  keepaliveS: 'number',
  vxlan: { vid: 'number', port: 'number' },
  underlayMtu: 'number',
  wifi: { l3: wifiShape, l2: wifiShape },
  l3Nat: 'boolean',
  routeHomeLan: 'boolean',
  l2MtuStrategy: 'string',
};

const kindZh: Record<Kind, string> = {
  string: '字符串',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
};

const enums: Record<string, readonly string[]> = {
  band: ['2g', '5g'],
  encryption: ['psk2', 'sae', 'sae-mixed'],
  l2MtuStrategy: ['dhcp-option-26', 'vxlan-1500-fragment'],
  widthMhz: ['20', '40', '80', '160'],
};

function check(value: unknown, shape: Shape, at: string): FieldError | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fieldError(
      at || '(intent)',
      {
        message: `${at || 'The intent'} must be a JSON object.`,
        fix: 'See the intent example in "homeward setup --help".',
      },
      {
        message: at ? `${at} 必须是 JSON 对象。` : '意图文件必须是一个 JSON 对象。',
        fix: '请参考“homeward setup --help”中的意图示例。',
      },
    );
  }
  const record = value as Record<string, unknown>;
  for (const [key, want] of Object.entries(shape)) {
    const field = at ? `${at}.${key}` : key;
    const v = record[key];
    if (typeof want === 'object') {
      const inner = check(v, want, field);
      if (inner) return inner;
      continue;
    }
    const optional = want.endsWith('?');
    const kind = want.replace('?', '') as Kind;
    if (v === undefined && optional) continue;
    if (v === undefined) {
      return fieldError(
        field,
        { message: `${field} is missing.`, fix: `Add "${key}" to the intent file.` },
        { message: `缺少 ${field}。`, fix: `请在意图文件中加上“${key}”。` },
      );
    }
    if (typeof v !== kind || (kind === 'number' && !Number.isFinite(v))) {
      const number = kind === 'number';
      return fieldError(
        field,
        {
          message: `${field} must be a ${kind}, not ${JSON.stringify(v)}.`,
          fix: number ? 'Write it without quotes, e.g. 51820.' : `Use a JSON ${kind}.`,
        },
        {
          message: `${field} 必须是${kindZh[kind]}，而不是 ${JSON.stringify(v)}。`,
          fix: number ? '请去掉引号，例如 51820。' : `请使用 JSON ${kindZh[kind]}。`,
        },
      );
    }
    const allowed = enums[key];
    if (allowed && (typeof v === 'string' || typeof v === 'number') && !allowed.includes(String(v)))
      return fieldError(
        field,
        { message: `${field} is ${JSON.stringify(v)}.`, fix: `Use one of: ${allowed.join(', ')}.` },
        {
          message: `${field} 不能是 ${JSON.stringify(v)}。`,
          fix: `请使用以下之一：${allowed.join(', ')}。`,
        },
      );
  }
  const unknown = Object.keys(record).find((k) => !(k in shape));
  if (unknown) {
    const path = `${at ? `${at}.` : ''}${unknown}`;
    return fieldError(
      path,
      { message: `Unknown field ${path}.`, fix: 'Remove it or check its spelling.' },
      { message: `未知字段 ${path}。`, fix: '请删除它，或检查拼写。' },
    );
  }
  return undefined;
}

/** The intent when every field has the right type; else the first field that does not. */
export function readIntent(
  value: unknown,
): { kind: 'ok'; intent: SetupIntent } | { kind: 'invalid'; error: FieldError } {
  const error = check(value, intentShape, '');
  return error ? { kind: 'invalid', error } : { kind: 'ok', intent: value as SetupIntent };
}
