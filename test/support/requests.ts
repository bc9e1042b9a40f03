import { parseQuantity } from '../../lib/common/resources';
import { describeObject, synthesizedStack } from './manifests';
import { allContainers, renderedPods } from './pods';

/** prometheus-operator's default requests for the config-reloader sidecar it adds to Prometheus. */
const CONFIG_RELOADER = { cpu: 0.01, memory: 50 * 2 ** 20 };

/** Requests of one environment, counting each DaemonSet once (dev has one node). */
export function totalRequests(env: string): { cpu: number; memory: number; lines: string[] } {
  const manifests = synthesizedStack().byEnv.get(env)!;
  let cpu = 0;
  let memory = 0;
  const lines: string[] = [];
  for (const pod of renderedPods(manifests)) {
    const replicas = pod.source.object.spec.replicas ?? 1;
    let podCpu = 0;
    let podMemory = 0;
    if (pod.modelledFrom) {
      const requests = pod.source.object.spec.resources.requests;
      podCpu = parseQuantity(requests.cpu)! + CONFIG_RELOADER.cpu;
      podMemory = parseQuantity(requests.memory)! + CONFIG_RELOADER.memory;
    } else {
      for (const c of allContainers(pod.spec)) {
        podCpu += parseQuantity(c.resources.requests.cpu)!;
        podMemory += parseQuantity(c.resources.requests.memory)!;
      }
    }
    cpu += podCpu * replicas;
    memory += podMemory * replicas;
    lines.push(`${describeObject(pod.source)} x${replicas}: ${Math.round(podCpu * 1000)}m, ${Math.round(podMemory / 2 ** 20)}Mi`);
  }
  return { cpu, memory, lines };
}

