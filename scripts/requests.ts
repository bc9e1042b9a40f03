/** Prints the CPU and memory each environment requests, pod by pod (`npm run requests`). */
import { synthesizedStack } from '../test/support/manifests';
import { totalRequests } from '../test/support/requests';

for (const env of synthesizedStack().byEnv.keys()) {
  const { cpu, memory, lines } = totalRequests(env);
  console.log(`${env}: ${Math.round(cpu * 1000)}m CPU, ${(memory / 2 ** 30).toFixed(2)} GiB requested (DaemonSets counted once)`);
  for (const line of lines) console.log(`  ${line}`);
}
