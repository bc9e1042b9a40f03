import { StackConfig } from '../lib/config/stack-config';
import { dev } from './dev';
import { prod } from './prod';

/** Every environment `npm run synth` renders, each to dist/<environment>/. */
export const ENVIRONMENTS: readonly StackConfig[] = [dev, prod];
