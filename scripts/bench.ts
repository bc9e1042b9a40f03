/**
 * Times a full synth of every environment, the way `npm run synth` does it, and prints objects
 * per second. Not a test: numbers depend on the machine. Target (issue #3): a warm synth of every
 * environment under 2 s on 2 cores.
 *
 *   cold process: a fresh `node` + ts-node process that loads, builds and writes (what CI and a
 *                 developer pay for `npm run synth`; it rewrites dist/ with the same content);
 *   warm in-process: build + render again in a process that has already loaded everything.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENVIRONMENTS } from '../environments';
import { synthesize, writeDist } from '../charts/synthesize';

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function countObjects(files: Map<string, string>): number {
  let n = 0;
  for (const content of files.values()) n += (content.match(/^---$/gm) ?? []).length;
  return n;
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)}, n=${ms.length})`;
}

function processRun(): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), 'main.ts'], { cwd: ROOT, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function inProcessRun(outDir: string): { ms: number; files: Map<string, string> } {
  const start = process.hrtime.bigint();
  const files = synthesize(ENVIRONMENTS);
  writeDist(outDir, files);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, files };
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dist-'));
const out = path.join(scratch, 'dist');

const processTimes = Array.from({ length: RUNS }, processRun);
const first = inProcessRun(out); // pays module loading inside this process
const warm = Array.from({ length: RUNS }, () => inProcessRun(out).ms);
const objects = countObjects(first.files);
fs.rmSync(scratch, { recursive: true, force: true });

const warmMedian = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)];
console.log(`environments: ${ENVIRONMENTS.map((e) => e.environment).join(', ')}; ${first.files.size} files, ${objects} objects`);
console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
console.log(`cold process (npm run synth): ${stats(processTimes)}`);
console.log(`first synth in a loaded process: ${first.ms.toFixed(0)} ms`);
console.log(`warm in-process synth:        ${stats(warm)}`);
console.log(`objects per second (warm):    ${Math.round(objects / (warmMedian / 1000))}`);
console.log(`target: warm synth of every environment < 2000 ms -> ${warmMedian < 2000 ? 'met' : 'MISSED'}`);
