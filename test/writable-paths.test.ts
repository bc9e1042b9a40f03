import { load } from 'js-yaml';
import { CONFIG_FILE } from '../lib/common/database';
import { allManifests, describeObject } from './support/manifests';
import { allContainers, renderedPods } from './support/pods';

/** Config keys that name a place on disk the process writes to. */
const PATH_KEY = /(^|_)(dir|directory|path|filepath|path_prefix|data_path|sync_dir|work_path|rule_path)$/;
/** Config keys that name a file the process only reads (a fallback configuration, a CA). */
const READ_FILE_KEY = /(_config_file|_ca_path|_cert_path|_key_path)$/;
const NOT_A_FILE = /(url_path|http_path_prefix)$/;

function pathsIn(value: unknown, at = ''): { key: string; path: string }[] {
  if (Array.isArray(value)) return value.flatMap((v) => pathsIn(v, `${at}[]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const here = at ? `${at}.${k}` : k;
      if (typeof v === 'string' && PATH_KEY.test(k) && !NOT_A_FILE.test(k) && !READ_FILE_KEY.test(k)) return [{ key: here, path: v }];
      return pathsIn(v, here);
    });
  }
  return [];
}

const manifests = allManifests();
const cases = renderedPods(manifests).flatMap((pod) => {
  const mounted = (pod.spec.volumes ?? []).map((v: any) => v.configMap?.name).filter(Boolean);
  const configs = manifests.filter((m) => m.object.kind === 'ConfigMap' && m.object.metadata.namespace === pod.namespace && mounted.includes(m.object.metadata.name) && m.object.data?.[CONFIG_FILE]);
  return configs.map((c) => [`${describeObject(pod.source)} reading ${c.object.metadata.name}`, pod, load(c.object.data[CONFIG_FILE])] as const);
});

// The root filesystem is read-only: every directory or file a config names must be on a writable volume.
test.each(cases)('%s writes only to its volumes', (_, pod, config) => {
  const container = allContainers(pod.spec)[0];
  const writable = (container.volumeMounts ?? []).filter((m: any) => !m.readOnly).map((m: any) => m.mountPath as string);
  const problems = pathsIn(config)
    .map(({ key, path }) => ({ key, path: path.startsWith('./') && container.workingDir ? `${container.workingDir.replace(/\/$/, '')}/${path.slice(2)}` : path }))
    .filter(({ path }) => !writable.some((mount: string) => path === mount || path.startsWith(`${mount}/`)))
    .map(({ key, path }) => `${key} = ${path}`);
  expect(problems).toEqual([]);
});

function filesIn(value: unknown, at = ''): { key: string; path: string }[] {
  if (Array.isArray(value)) return value.flatMap((v) => filesIn(v, `${at}[]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (typeof v === 'string' && READ_FILE_KEY.test(k) ? [{ key: at ? `${at}.${k}` : k, path: v }] : filesIn(v, at ? `${at}.${k}` : k)));
  }
  return [];
}

// A file a config reads must be there: a missing fallback configuration or CA fails at start.
test.each(cases)('%s finds every file it reads in a mounted ConfigMap or Secret', (_, pod, config) => {
  const container = allContainers(pod.spec)[0];
  const problems = filesIn(config).filter(({ path }) => {
    const mount = (container.volumeMounts ?? []).find((m: any) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
    const volume = mount && (pod.spec.volumes ?? []).find((v: any) => v.name === mount.name);
    const file = mount && path.slice(mount.mountPath.replace(/\/$/, '').length + 1);
    if (volume?.configMap) {
      const cm = manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.namespace === pod.namespace && m.object.metadata.name === volume.configMap.name);
      return !(file! in (cm?.object.data ?? {}));
    }
    if (volume?.secret) return !(volume.secret.items ?? [{ path: file }]).some((i: any) => i.path === file);
    return true;
  });
  expect(problems).toEqual([]);
});

test('the check sees the paths of every backend', () => {
  expect(new Set(cases.map(([, pod]) => pod.labels['app.kubernetes.io/name']))).toEqual(new Set(['mimir', 'loki', 'tempo', 'pyroscope']));
});
