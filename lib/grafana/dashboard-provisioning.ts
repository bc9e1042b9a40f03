import { dump } from 'js-yaml';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/** A Grafana folder the stack provisions dashboards into. */
export interface DashboardFolder {
  /** Folder uid; also names the volume and the directory its dashboards are mounted in. */
  readonly uid: string;
  readonly title: string;
}

/** One provisioned dashboard: where it goes and the model Grafana loads. */
export interface StackDashboard {
  readonly folder: DashboardFolder;
  readonly model: Dashboard;
}

/** Where each folder's dashboards are mounted, one directory per folder. */
export const DASHBOARDS_ROOT = '/etc/grafana/dashboards';

/**
 * `kubectl apply` (client-side) copies each object into its last-applied annotation, and all of an
 * object's annotations together must stay under 256 KiB; the margin covers the metadata.
 */
export const MAX_DASHBOARD_BYTES = 240 * 1024;

/** Grafana's limit on a dashboard uid, in the characters its URLs accept. */
const UID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface ProvisionedDashboard {
  readonly uid: string;
  readonly title: string;
  readonly configMapName: string;
  /** File name in the folder's directory. */
  readonly file: string;
  readonly json: string;
}

export interface ProvisionedFolder {
  readonly folder: DashboardFolder;
  readonly volumeName: string;
  readonly mountPath: string;
  readonly dashboards: readonly ProvisionedDashboard[];
}

export interface DashboardProvisioning {
  readonly folders: readonly ProvisionedFolder[];
  /** The file provider configuration for /etc/grafana/provisioning/dashboards. */
  readonly providersYaml: string;
}

/**
 * Lays dashboards out for Grafana's file provider: one ConfigMap per dashboard (each stays far
 * below the size limits however many dashboards a folder holds), projected into one directory per
 * folder, and one provider per folder. Provisioned dashboards cannot be saved from the UI: code is
 * their source, and an edit in the UI would be silently lost at the next sync.
 */
export function dashboardProvisioning(name: string, dashboards: readonly StackDashboard[]): DashboardProvisioning {
  const byFolder = new Map<string, { folder: DashboardFolder; dashboards: ProvisionedDashboard[] }>();
  const seen = new Set<string>();
  for (const { folder, model } of dashboards) {
    const uid = model.uid ?? '';
    if (!UID_PATTERN.test(uid)) {
      throw new Error(`dashboard "${model.title}": uid is "${uid}"; allowed: 1 to 40 lowercase letters, digits and dashes`);
    }
    if (seen.has(uid)) throw new Error(`dashboard uid "${uid}" is used twice; each dashboard needs its own uid`);
    seen.add(uid);
    const json = `${JSON.stringify(model, null, 1)}\n`;
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_DASHBOARD_BYTES) {
      throw new Error(`dashboard "${uid}" renders to ${bytes} bytes; allowed: at most ${MAX_DASHBOARD_BYTES} (split it)`);
    }
    const entry = byFolder.get(folder.uid) ?? { folder, dashboards: [] };
    if (entry.folder.title !== folder.title) {
      throw new Error(`dashboard folder "${folder.uid}" has two titles: "${entry.folder.title}" and "${folder.title}"`);
    }
    entry.dashboards.push({ uid, title: model.title ?? uid, configMapName: `${name}-dashboard-${uid}`, file: `${uid}.json`, json });
    byFolder.set(folder.uid, entry);
  }
  const folders = [...byFolder.values()]
    .sort((a, b) => a.folder.uid.localeCompare(b.folder.uid))
    .map(({ folder, dashboards: list }) => ({
      folder,
      volumeName: `dashboards-${folder.uid}`,
      mountPath: `${DASHBOARDS_ROOT}/${folder.uid}`,
      dashboards: [...list].sort((a, b) => a.uid.localeCompare(b.uid)),
    }));
  const providers = folders.map((f) => ({
    name: f.folder.uid,
    orgId: 1,
    folder: f.folder.title,
    folderUid: f.folder.uid,
    type: 'file',
    disableDeletion: true,
    allowUiUpdates: false,
    updateIntervalSeconds: 30,
    options: { path: f.mountPath },
  }));
  return { folders, providersYaml: dump({ apiVersion: 1, providers }, { lineWidth: -1, noRefs: true }) };
}
