import * as path from 'path';
import { ENVIRONMENTS } from './environments';
import { synthToDist } from './charts/synthesize';

try {
  const files = synthToDist(ENVIRONMENTS, path.join(__dirname, 'dist'));
  console.log(`Synthesized ${ENVIRONMENTS.map((e) => e.environment).join(', ')}: ${files.size} files in dist/`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error('dist/ was left unchanged.');
  process.exitCode = 1;
}
