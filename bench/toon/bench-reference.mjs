// SPDX-License-Identifier: GPL-3.0-or-later
// Decodes a TOON file with the reference implementation (@toon-format/toon, resolved from
// NODE_PATH-less import through the scratch folder) and prints the median MB/s.
// Usage: node bench-reference.mjs MODULE_DIR FILE [RUNS]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [moduleDir, file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 9);
const { decode } = await import(pathToFileURL(join(moduleDir, 'dist', 'index.mjs')).href);
const text = readFileSync(file, 'utf8');
const bytes = Buffer.byteLength(text, 'utf8');

decode(text); // warm up the JIT
const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const value = decode(text);
  const t1 = process.hrtime.bigint();
  if (!value || !Array.isArray(value.characters) || value.characters.length !== 36000)
    throw new Error('the reference decoded something else');
  times.push(Number(t1 - t0) / 1e9);
}
times.sort((a, b) => a - b);
const median = runs % 2 ? times[(runs - 1) / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
console.log(`reference decode: ${(bytes / 1e6 / median).toFixed(1)} MB/s (median of ${runs} runs)`);
