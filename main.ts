import * as path from 'path';
import { ENVIRONMENTS } from './environments';
import { synthesize, writeDist } from './lib/synth/synthesize';

// Validate and build every environment in memory first; only then replace dist/.
try {
  const files = synthesize(ENVIRONMENTS);
  writeDist(path.join(__dirname, 'dist'), files);
  console.log(`Synthesized ${ENVIRONMENTS.map((e) => e.environment).join(', ')}: ${files.size} files in dist/`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error('dist/ was left unchanged.');
  process.exitCode = 1;
}
