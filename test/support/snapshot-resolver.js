// Snapshots live in the top-level __snapshots__/ folder, one file per test file.
const path = require('path');

const root = path.join(__dirname, '..', '..');
const snapshots = path.join(root, '__snapshots__');
const tests = path.join(root, 'test');

module.exports = {
  resolveSnapshotPath: (testPath, extension) => path.join(snapshots, path.relative(tests, testPath) + extension),
  resolveTestPath: (snapshotPath, extension) => path.join(tests, path.relative(snapshots, snapshotPath).slice(0, -extension.length)),
  testPathForConsistencyCheck: path.join(tests, 'example.test.ts'),
};
