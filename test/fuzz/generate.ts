// Seeded generator of malformed observer input, one batch per observer: scripts (script-steps.ts), harmless run
// requests, malformed request lines, random bytes and lines over 64 KiB. Nothing generated can change a host,
// even outside the sandbox the test runs it in.
import type { Rng } from './rng.ts';
import { scriptRequest } from './script-steps.ts';

export { Rng } from './rng.ts';
export { craftedFiles } from './crafted-files.ts';

function runRequest(rng: Rng, id: number): string {
  const flags = rng.pick([
    '0',
    '0x20000',
    '0x4000000',
    '0x8000000',
    '0x10000000',
    '0x20000000',
    '0x40000000',
    '0x2000000',
    '0x80',
  ]);
  const ops = rng.pick(['-', 'hang', 'msgget', 'msgget,hang', 'bogus', 'msgget,,']);
  const path = rng.pick(['clone3', 'unshare', 'clone', 'nope']);
  return `run id=${id} path=${path} flags=${flags} drop=- timeout=${rng.pick(['200', '500'])} scratch={SCRATCH} hostname=${rng.pick(['-', 'fuzz', 'h'.repeat(300)])} ops=${ops}\n`;
}

function malformedRequest(rng: Rng, id: number): string {
  const tokens = [
    `id=${id}`,
    'id=-1',
    'id=18446744073709551616',
    'id=\t3',
    'flags=0x',
    'flags=+1',
    'timeout=0',
    'timeout=3600001',
    'steps=257',
    'steps=-1',
    'drop=1',
    'drop=1:',
    'drop=:1',
    'drop=4294967295:0',
    `drop=${'9'.repeat(70)}`,
    'scratch=',
    'hostname=',
    '=',
    'noequals',
    `ops=${'msgget,'.repeat(60)}`,
    `flagsets=${'0,'.repeat(1100)}0`,
    'flagsets=',
    'passes=0',
    'passes=100001',
    `x=${'z'.repeat(3000)}`,
  ];
  const verb = rng.pick(['run', 'bench', 'script', 'quit!', 'nope', '', ' run', 'RUN']);
  const n = rng.int(6);
  return [verb, ...Array.from({ length: n }, () => rng.pick(tokens))].join(' ') + '\n';
}

/**
 * One batch: the requests one observer serves, then "quit" — or input cut short at a random byte.
 * `{SCRATCH}` stands for the scratch directory, filled in by the runner.
 */
export function generateBatch(rng: Rng, size: number): string {
  const parts: string[] = [];
  for (let id = 1; id <= size; id++) {
    const roll = rng.int(100);
    if (roll < 45) parts.push(scriptRequest(rng, id));
    else if (roll < 50) parts.push(runRequest(rng, id));
    else if (roll < 85) parts.push(malformedRequest(rng, id));
    else if (roll < 97) parts.push(`${rng.bytes(rng.int(300))}\n`);
    else parts.push(`${rng.pick(['run', 'script id=1 steps=3', 'x'])} ${'w'.repeat(66000 + rng.int(2000))}\n`);
  }
  const text = parts.join('');
  return rng.chance(0.2) ? text.slice(0, rng.int(text.length)) : `${text}quit\n`;
}
