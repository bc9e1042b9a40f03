import { Problems } from '../common/problems';
import { GRAFANA_ROLES, GrafanaSettings } from './grafana';

/** Grafana's rules, with the setting each one names (`grafana.` in the environment). */
export function grafanaRules(p: Problems, grafana: GrafanaSettings): void {
  if (grafana.rootUrl !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(grafana.rootUrl)) {
    p.add('grafana.rootUrl', grafana.rootUrl, 'an absolute http(s) URL such as "https://grafana.example.com"');
  }
  p.secretName('grafana.adminSecret', grafana.adminSecret);
  p.ingress('grafana.ingress', grafana.ingress, 'grafana.example.com');
  if (grafana.storageSize !== undefined) p.positiveQuantity('grafana.storageSize', grafana.storageSize, 'memory');
  p.storageClass('grafana.storageClassName', grafana.storageClassName);
  p.resources('grafana.resources', grafana.resources);
  const sso = grafana.sso;
  if (!sso) return;
  if (!/^https:\/\/[^/\s]+\/realms\/[^/\s]+\/?$/.test(sso.issuerUrl)) {
    p.add('grafana.sso.issuerUrl', sso.issuerUrl, 'the realm\'s issuer URL over HTTPS, e.g. "https://sso.example.com/realms/platform"');
  }
  if (!/^[A-Za-z0-9._-]+$/.test(sso.clientId)) p.add('grafana.sso.clientId', sso.clientId, 'a Keycloak client ID: letters, digits, ".", "_" and "-"');
  p.secretName('grafana.sso.clientSecretSecret', sso.clientSecretSecret);
  for (const role of Object.keys(sso.roleMapping)) {
    if (!GRAFANA_ROLES.includes(role as never)) p.add(`grafana.sso.roleMapping.${role}`, role, GRAFANA_ROLES.join(', '));
  }
  if (Object.values(sso.roleMapping).every((names) => !names || names.length === 0)) {
    p.add('grafana.sso.roleMapping', sso.roleMapping, 'at least one Keycloak role or group mapped to a Grafana role');
  }
  if (grafana.rootUrl === undefined && !grafana.ingress) {
    p.add('grafana.rootUrl', undefined, 'the URL users open Grafana at (or grafana.ingress): Keycloak redirects back to it');
  }
}
