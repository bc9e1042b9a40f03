import * as fs from 'fs';
import * as path from 'path';

/** Folder of the vendored prometheus-operator v0.93.1 CRDs (also the source of imports/). */
export const PROMETHEUS_OPERATOR_CRD_DIR = path.join(__dirname, '..', '..', 'crds', 'prometheus-operator-v0.93.1');

/**
 * Annotations every CRD gets. ArgoCD applies them in an early wave, so custom resources find
 * their kinds; and server-side, because the largest CRDs exceed the 256 KiB annotation that
 * client-side apply writes.
 */
export const CRD_ANNOTATIONS: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-wave': '-10',
  'argocd.argoproj.io/sync-options': 'ServerSideApply=true',
};

const EXPECTED_START = '---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n';

/**
 * The CRDs byte-for-byte as upstream publishes them, plus CRD_ANNOTATIONS: the output diffs
 * cleanly against upstream, and 4.5 MB of schema is not parsed and re-serialized on every synth.
 * The annotation lines are inserted at the top of each file's `metadata.annotations`; a file of
 * any other shape is refused rather than edited blindly (the tests parse the result).
 */
export function renderCrds(dir: string = PROMETHEUS_OPERATOR_CRD_DIR): string {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  if (files.length === 0) throw new Error(`No CRD files in ${dir}`);
  const added = Object.entries(CRD_ANNOTATIONS)
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`)
    .join('');
  return files
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      if (!text.startsWith(EXPECTED_START) || text.indexOf('\n---', 1) !== -1) {
        throw new Error(`${file}: expected one CustomResourceDefinition starting with metadata.annotations; re-vendor it or adapt renderCrds`);
      }
      return EXPECTED_START + added + text.slice(EXPECTED_START.length) + (text.endsWith('\n') ? '' : '\n');
    })
    .join('');
}
