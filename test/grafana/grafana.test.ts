import { load } from 'js-yaml';
import { ENVIRONMENTS } from '../../environments';
import { resolveStackConfig } from '../../lib/config/validate';
import { DATASOURCE_UIDS, grafanaIni, resolveGrafanaProps, roleAttributePath } from '../../lib/grafana/grafana';
import { synthesizedStack } from '../support/manifests';
import { queryProblems } from '../support/queries';

const environments = [...synthesizedStack().byEnv.entries()];

/** Provisioning writes `$$` for a literal `$`. */
const unescape = (s: string) => s.replace(/\$\$/g, '$');

describe.each(environments)('Grafana in %s', (env, manifests) => {
  const config = resolveStackConfig(ENVIRONMENTS.find((e) => e.environment === env)!);
  const configMap = (name: string) => manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === name)!.object;
  const provisioning = load(configMap('grafana-datasources').data['datasources.yaml']) as any;
  const datasources: any[] = provisioning.datasources;
  const ini: string = configMap('grafana-config').data['grafana.ini'];
  const deployment = manifests.find((m) => m.object.kind === 'Deployment' && m.object.metadata.name === 'grafana')!.object;

  test('provisions every signal with its fixed UID, read as the environment tenant', () => {
    expect(datasources.map((d) => d.uid).sort()).toEqual(Object.values(DATASOURCE_UIDS).sort());
    for (const d of datasources) {
      expect(d.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
      expect(d.secureJsonData.httpHeaderValue1).toBe(config.tenant);
    }
  });

  test('every correlation jumps to a datasource that exists', () => {
    const uids = new Set(datasources.map((d) => d.uid));
    const referenced: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === 'datasourceUid' ? referenced.push(x as string) : walk(x));
    };
    datasources.forEach((d) => walk(d.jsonData));
    expect(referenced.length).toBeGreaterThanOrEqual(6);
    for (const uid of referenced) expect(uids).toContain(uid);
  });

  test('a trace jumps to its logs, its metrics and its profile; logs and exemplars jump to traces', () => {
    const tempo = datasources.find((d) => d.uid === DATASOURCE_UIDS.traces).jsonData;
    expect(tempo.tracesToLogsV2.datasourceUid).toBe(DATASOURCE_UIDS.logs);
    expect(tempo.tracesToMetrics.datasourceUid).toBe(DATASOURCE_UIDS.metrics);
    expect(tempo.tracesToProfiles.datasourceUid).toBe(DATASOURCE_UIDS.profiles);
    expect(tempo.serviceMap.datasourceUid).toBe(DATASOURCE_UIDS.metrics);
    expect(datasources.find((d) => d.uid === DATASOURCE_UIDS.logs).jsonData.derivedFields[0].datasourceUid).toBe(DATASOURCE_UIDS.traces);
    expect(datasources.find((d) => d.uid === DATASOURCE_UIDS.metrics).jsonData.exemplarTraceIdDestinations[0].datasourceUid).toBe(DATASOURCE_UIDS.traces);
  });

  test('the metrics queries behind trace links parse as PromQL', () => {
    const tempo = datasources.find((d) => d.uid === DATASOURCE_UIDS.traces).jsonData;
    for (const q of tempo.tracesToMetrics.queries) {
      expect(queryProblems('promql', unescape(q.query).replace('$__tags', 'service="checkout"'))).toEqual([]);
    }
  });

  test('the derived field regex compiles and finds a trace ID in a log line', () => {
    const field = datasources.find((d) => d.uid === DATASOURCE_UIDS.logs).jsonData.derivedFields[0];
    expect(new RegExp(field.matcherRegex).exec('level=info trace_id=4bf92f3577b34da6a3ce929d0e0e4736 msg=ok')?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(unescape(field.url)).toBe('${__value.raw}');
  });

  test('no anonymous access; admin credentials and the client secret only from Secrets', () => {
    expect(ini).toMatch(/\[auth\.anonymous\]\nenabled = false/);
    expect(ini).not.toMatch(/admin_password|client_secret/);
    const env = deployment.spec.template.spec.containers[0].env;
    // The only literal is the Go heap limit; everything else comes from a Secret.
    for (const e of env.filter((x: any) => x.name !== 'GOMEMLIMIT')) expect(e.valueFrom?.secretKeyRef).toBeDefined();
    expect(env.map((e: any) => e.name)).toEqual(expect.arrayContaining(['GF_SECURITY_ADMIN_USER', 'GF_SECURITY_ADMIN_PASSWORD', 'GF_SECURITY_SECRET_KEY']));
  });

  test('bundled datasource plugins are not updated in place (read-only root filesystem)', () => {
    expect(ini).toMatch(/\[plugins\]\npreinstall_auto_update = false/);
    const mounts = deployment.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/var/lib/grafana', '/tmp']));
  });

  test('SSO matches the environment: login form off with Keycloak, and a client definition to import', () => {
    const client = synthesizedStack().files.get(`${env}/keycloak/grafana-client.json`);
    if (!config.grafana.sso) {
      expect(ini).not.toContain('[auth.generic_oauth]');
      expect(client).toBeUndefined();
      return;
    }
    expect(ini).toMatch(/disable_login_form = true/);
    const rootUrl = /root_url = (.+)\//.exec(ini)![1];
    const parsed = JSON.parse(client!);
    expect(parsed.redirectUris).toEqual([`${rootUrl}/login/generic_oauth`]);
    expect(parsed.clientId).toBe(config.grafana.sso.clientId);
    // The claim the client puts in the token is the one Grafana reads roles from.
    const claim = parsed.protocolMappers[0].config['claim.name'];
    expect(ini).toContain(`role_attribute_path = contains(${claim}[*]`);
    // Single logout returns to Grafana's login page through Keycloak.
    expect(ini).toMatch(/signout_redirect_url = https:\/\/.+\/protocol\/openid-connect\/logout\?post_logout_redirect_uri=/);
  });
});

describe('role mapping', () => {
  const sso = { issuerUrl: 'https://sso/realms/r', clientId: 'g', clientSecretSecret: 's', roleMapping: { Admin: ['ops'], Viewer: ['dev'] } };

  test('maps roles in order and refuses users with no mapped role', () => {
    expect(roleAttributePath(sso)).toBe("contains(roles[*], 'ops') && 'Admin' || contains(roles[*], 'dev') && 'Viewer'");
    const ini = grafanaIni(resolveGrafanaProps({ namespace: 'n', wiring: undefined as any, tenant: 't', datasources: {} as any, rootUrl: 'https://g.example', sso }));
    expect(ini['auth.generic_oauth'].role_attribute_strict).toBe(true);
  });

  test('can give unmapped users Viewer instead', () => {
    expect(roleAttributePath({ ...sso, unmappedUsers: 'Viewer' })).toMatch(/\|\| 'Viewer'$/);
  });

  test('maps groups when the claim is groups', () => {
    expect(roleAttributePath({ ...sso, claim: 'groups' })).toContain('contains(groups[*]');
  });
});
