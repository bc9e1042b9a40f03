import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENVIRONMENTS } from '../environments';
import { ConfigError } from '../lib/config/validate';
import { synthesize, synthToDist, writeDist } from '../charts/synthesize';
import { synthesizedStack } from './support/manifests';

const DIST = path.join(__dirname, '..', 'dist');

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

function tempDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-test-'));
  const dist = path.join(dir, 'dist');
  fs.cpSync(DIST, dist, { recursive: true });
  return dist;
}

describe('determinism', () => {
  test('synthesizing twice gives byte-identical output', () => {
    const first = synthesizedStack().files;
    const second = synthesize(ENVIRONMENTS);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, content] of first) expect(second.get(file) === content).toBe(true);
  });

  test('the committed dist/ is exactly what the code synthesizes (run `npm run synth` and commit)', () => {
    const committed = readTree(DIST);
    const fresh = synthesizedStack().files;
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    const stale = [...fresh].filter(([file, content]) => committed.get(file) !== content).map(([file]) => file);
    expect(stale).toEqual([]);
  });

  test('every environment renders to its own folder', () => {
    const folders = new Set([...synthesizedStack().files.keys()].map((f) => f.split('/')[0]));
    expect([...folders].sort()).toEqual(ENVIRONMENTS.map((e) => e.environment).sort());
  });
});

describe('a failed synth never damages dist/', () => {
  test('invalid configuration: error names the setting, dist/ untouched', () => {
    const dist = tempDist();
    const before = readTree(dist);
    const broken = [ENVIRONMENTS[0], { ...ENVIRONMENTS[1], prometheus: { ...ENVIRONMENTS[1].prometheus, retention: '30x' } }];
    expect(() => synthToDist(broken, dist)).toThrow(ConfigError);
    expect(() => synthToDist(broken, dist)).toThrow(/prometheus\.retention is "30x"/);
    expect(readTree(dist)).toEqual(before);
  });

  test('a failure after validation (two environments on one folder) leaves dist/ untouched', () => {
    const dist = tempDist();
    const before = readTree(dist);
    expect(() => synthToDist([ENVIRONMENTS[0], ENVIRONMENTS[0]], dist)).toThrow(/Two environments are named "dev"/);
    expect(readTree(dist)).toEqual(before);
  });

  test('a failed write (unwritable parent) leaves dist/ untouched and no staging folder behind', () => {
    const dist = tempDist();
    const before = readTree(dist);
    const files = new Map([['dev/x.yaml', 'a'], ['dev/x.yaml/y.yaml', 'b']]); // a file cannot also be a folder
    expect(() => writeDist(dist, files)).toThrow();
    expect(readTree(dist)).toEqual(before);
    expect(fs.readdirSync(path.dirname(dist)).filter((f) => f.startsWith('.synth-staging-'))).toEqual([]);
  });

  test('a successful synth removes files that the code no longer renders', () => {
    const dist = tempDist();
    fs.writeFileSync(path.join(dist, 'dev', 'stale.yaml'), 'kind: Leftover\n');
    synthToDist(ENVIRONMENTS, dist);
    expect(fs.existsSync(path.join(dist, 'dev', 'stale.yaml'))).toBe(false);
    expect(readTree(dist)).toEqual(readTree(DIST));
  });
});
