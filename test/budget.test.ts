import { totalRequests } from './support/requests';

/** Issue #4's target for the whole stack in dev: one small node. */
const DEV_BUDGET = { cpu: 2, memoryGi: 6 };

test(`dev requests at most ${DEV_BUDGET.cpu} CPU and ${DEV_BUDGET.memoryGi} GiB for the whole stack`, () => {
  const { cpu, memory, lines } = totalRequests('dev');
  const summary = `${Math.round(cpu * 1000)}m CPU, ${(memory / 2 ** 30).toFixed(2)} GiB\n${lines.join('\n')}`;
  expect({ cpuOk: cpu <= DEV_BUDGET.cpu, memoryOk: memory <= DEV_BUDGET.memoryGi * 2 ** 30, summary }).toEqual({ cpuOk: true, memoryOk: true, summary });
});
