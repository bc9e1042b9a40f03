import { synthesizedStack } from './support/manifests';

// One snapshot per chart file: a snapshot shows what a change does to the manifests; the
// assertions in the other suites say why the fields matter. The CRDs are checked against the
// vendored files instead (policies.test.ts).
const files = [...synthesizedStack().files.entries()].filter(([file]) => !file.endsWith('/setup/01-crds.yaml'));

test.each(files)('%s', (_, content) => {
  expect(content).toMatchSnapshot();
});
