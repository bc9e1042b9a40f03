import { load, YAML11_SCHEMA } from 'js-yaml';
import { IMAGES } from '../lib/common/images';
import { CONFIG_FILE } from '../lib/common/database';
import { configProblems, flagProblems, loadReference } from './support/config-reference';
import { allManifests, describeObject } from './support/manifests';
import { allContainers, renderedPods } from './support/pods';

const manifests = allManifests();
/** Components whose configuration this project renders, and which therefore need a reference. */
const configured = manifests
  .filter((m) => m.object.kind === 'ConfigMap' && m.object.data?.[CONFIG_FILE] !== undefined)
  .map((m) => ({ m, component: m.object.metadata.labels['app.kubernetes.io/name'] as keyof typeof IMAGES }));

describe('every rendered configuration uses only keys of the pinned upstream version', () => {
  test('there are configurations to check', () => {
    expect(configured.length).toBeGreaterThan(0);
  });

  test.each(configured.map(({ m, component }) => [describeObject(m), m, component] as const))('%s', (_, m, component) => {
    const reference = loadReference(component);
    expect(reference).toBeDefined();
    // The reference must describe exactly the version the image runs.
    expect(reference!.version).toBe(IMAGES[component].tag.replace(/^v/, ''));
    expect(configProblems(load(m.object.data[CONFIG_FILE]), reference!)).toEqual([]);
    // Go's YAML readers must see the same values (no `on`, `yes` or octal surprises).
    expect(load(m.object.data[CONFIG_FILE], { schema: YAML11_SCHEMA } as any)).toEqual(load(m.object.data[CONFIG_FILE]));
  });
});

describe('Grafana\'s settings exist in the pinned Grafana version', () => {
  const inis = manifests.filter((m) => m.object.kind === 'ConfigMap' && m.object.data?.['grafana.ini'] !== undefined);
  const reference = loadReference('grafana')!;

  test('the reference describes the pinned image', () => {
    expect(reference.version).toBe(IMAGES.grafana.tag);
    expect(inis.length).toBeGreaterThan(0);
  });

  test.each(inis.map((m) => [describeObject(m), m] as const))('%s', (_, m) => {
    let section = '';
    const unknown: string[] = [];
    for (const line of (m.object.data['grafana.ini'] as string).split('\n')) {
      const header = /^\[(.+)\]$/.exec(line);
      if (header) section = header[1];
      const entry = /^([A-Za-z0-9_.-]+) = /.exec(line);
      if (entry && reference.keys[`${section}.${entry[1]}`] === undefined) unknown.push(`${section}.${entry[1]}`);
      if (header && reference.keys[section] !== 'section') unknown.push(`[${section}]`);
    }
    expect(unknown).toEqual([]);
  });
});

describe('every command-line flag exists in the pinned upstream version', () => {
  const pods = renderedPods(manifests).filter((p) => loadReference(p.labels['app.kubernetes.io/name']));
  test.each(pods.map((p) => [describeObject(p.source), p] as const))('%s', (_, pod) => {
    const reference = loadReference(pod.labels['app.kubernetes.io/name'])!;
    for (const c of allContainers(pod.spec)) expect(flagProblems(c.args ?? [], reference)).toEqual([]);
  });
});

describe('the check itself fails on what would crash-loop a pod', () => {
  const loki = loadReference('loki')!;
  const good = { server: { http_listen_port: 3100 }, limits_config: { retention_period: '720h' } };

  test('accepts valid keys and types', () => {
    expect(configProblems(good, loki)).toEqual([]);
  });

  test('a misspelled key', () => {
    expect(configProblems({ server: { http_listen_prot: 3100 } }, loki)).toEqual([`server.http_listen_prot: not a configuration key of loki ${loki.version}`]);
  });

  test('a key at the wrong level', () => {
    expect(configProblems({ retention_period: '720h' }, loki)).toEqual([`retention_period: not a configuration key of loki ${loki.version}`]);
  });

  test('a wrong type', () => {
    expect(configProblems({ server: { http_listen_port: '3100' } }, loki)[0]).toMatch(/server\.http_listen_port: expected int/);
    expect(configProblems({ limits_config: { retention_period: '30 days' } }, loki)[0]).toMatch(/expected duration/);
  });

  test('keys inside lists of blocks are checked too', () => {
    expect(configProblems({ schema_config: { configs: [{ from: '2024-04-01', schemaa: 'v13' }] } }, loki)).toEqual([
      `schema_config.configs[].schemaa: not a configuration key of loki ${loki.version}`,
    ]);
  });

  test('an unknown flag', () => {
    expect(flagProblems(['-target=all', '-config.expand-env=true', '-config.fil=/x'], loki)).toEqual([`-config.fil: not a flag of loki ${loki.version}`]);
  });
});
