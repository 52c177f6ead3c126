import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { UciConfigs } from '../uci/model';
import { parseUci } from '../uci/parse';

export const setupFixtures = path.resolve(import.meta.dirname, '../../../../test/fixtures/setup');

/** Every file of test/fixtures/setup/<dir> parsed as a UCI config named after the file. */
export function readSetupConfigs(dir: string): UciConfigs {
  const configs: UciConfigs = {};
  for (const name of readdirSync(path.join(setupFixtures, dir))) {
    const parsed = parseUci(readFileSync(path.join(setupFixtures, dir, name), 'utf8'));
    if (parsed.kind !== 'ok') throw new Error(`${dir}/${name}: ${parsed.message}`);
    configs[name] = parsed.config;
  }
  return configs;
}
