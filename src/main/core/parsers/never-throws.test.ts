import { describe, expect, it } from 'vitest';
import { fixture, fixtureFiles } from '../../../../test/fixtures/read-fixture';
import { parseIperfJson } from './parse-iperf';
import { parseIperfJsonStream, parseIperfStreamLine } from './parse-iperf-stream';
import { parseIperfTextInterval } from './parse-iperf-text';
import { parseIpJson } from './parse-ip-json';
import { parseIwinfo } from './parse-iwinfo';
import { parseIwinfoAssoclist } from './parse-iwinfo-assoclist';
import { parseOpenwrtRelease } from './parse-openwrt-release';
import { parseApkList, parseOpkgList } from './parse-package-list';
import { parsePing } from './parse-ping';
import { parseProcStat } from './parse-proc-stat';
import { parseTracepath } from './parse-tracepath';
import { parseUbusSystemBoard } from './parse-ubus-board';
import { parseUbusInterfaceStatus } from './parse-ubus-interface';
import { parseWgDump } from './parse-wg-dump';

const parsers: ((text: string) => unknown)[] = [
  (text) => parsePing('linux', text),
  (text) => parsePing('darwin', text),
  (text) => parsePing('win32', text),
  parseIperfJson,
  parseIperfJsonStream,
  parseIperfStreamLine,
  (text) => parseIperfTextInterval(text, 'udp'),
  parseIpJson,
  parseIwinfo,
  parseIwinfoAssoclist,
  parseOpenwrtRelease,
  parseOpkgList,
  parseApkList,
  parseProcStat,
  parseTracepath,
  parseUbusSystemBoard,
  parseUbusInterfaceStatus,
  (text) => parseWgDump(text),
];

const samples = [
  'ping',
  'iperf3',
  'iwinfo',
  'wg',
  'ip',
  'ubus',
  'tracepath',
  'apk',
  'opkg',
  'proc-stat',
  'openwrt_release',
].flatMap((dir) => fixtureFiles(dir).map(fixture));

// A small deterministic generator, so a failure reproduces.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function mangle(text: string, next: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(next() * 8);
  for (let i = 0; i < edits && chars.length > 0; i++) {
    const at = Math.floor(next() * chars.length);
    const choice = next();
    if (choice < 0.3) chars.splice(at, Math.floor(next() * 40));
    else if (choice < 0.6)
      chars.splice(at, 0, ...'{}[]":,-=\t\n%()0123456789'.charAt(Math.floor(next() * 26)));
    else chars.splice(0, at);
  }
  return chars.join('');
}

describe('every parser on every fixture, cut and garbled', () => {
  it('returns instead of throwing', () => {
    const next = random(20261125);
    let runs = 0;
    for (const sample of samples) {
      for (let round = 0; round < 12; round++) {
        const input = mangle(sample, next);
        for (const parse of parsers) {
          expect(() => parse(input)).not.toThrow();
          runs++;
        }
      }
    }
    expect(runs).toBe(samples.length * 12 * parsers.length);
  });
});
