import { Problems } from '../common/problems';
import { CLOUD_PROVIDERS, CustomPricing, OpenCostSettings } from './opencost';

/** OpenCost's rules, with the setting each one names (`opencost.` in the environment). */
export function opencostRules(p: Problems, opencost: OpenCostSettings): void {
  const pricing = opencost.pricing;
  if (pricing) {
    const providers = [...CLOUD_PROVIDERS, 'custom'];
    if (!providers.includes(pricing.provider)) p.add('opencost.pricing.provider', pricing.provider, providers.join(', '));
    if (pricing.provider === 'custom') {
      const price = (key: keyof CustomPricing, value: unknown, unit: string, zeroAllowed: boolean) => {
        const ok = typeof value === 'number' && Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
        if (!ok) p.add(`opencost.pricing.${key}`, value, `a price per ${unit}: a number ${zeroAllowed ? 'of 0 or more' : 'above 0'}`);
      };
      price('cpuCoreHour', pricing.cpuCoreHour, 'CPU core-hour', false);
      price('ramGibHour', pricing.ramGibHour, 'GiB-hour of memory', false);
      price('storageGibMonth', pricing.storageGibMonth, 'GiB-month of storage', true);
      if (pricing.gpuHour !== undefined) price('gpuHour', pricing.gpuHour, 'GPU-hour', true);
      if (pricing.currency !== undefined && !/^[A-Z]{3}$/.test(pricing.currency)) p.add('opencost.pricing.currency', pricing.currency, 'an ISO 4217 code such as "USD" or "EUR"');
    } else {
      p.secretName('opencost.pricing.credentialsSecret', pricing.credentialsSecret);
      if (pricing.provider === 'gcp' && !pricing.credentialsSecret) {
        p.add('opencost.pricing.credentialsSecret', undefined, 'a Secret with the key api-key (a Google Cloud pricing API key): OpenCost does not start on GCP without one');
      }
    }
  }
  p.resources('opencost.resources', opencost.resources);
  p.ingress('opencost.ingress', opencost.ingress, 'cost.example.com');
}
