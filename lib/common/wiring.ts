import { PodPeer } from './endpoints';

/** One allowed network connection: `from` pods open TCP connections to `to` pods on `ports`. */
export interface Connection {
  readonly from: PodPeer;
  readonly to: PodPeer;
  /** Container port names on the `to` pods. */
  readonly ports: readonly string[];
  /** Why the connection exists, e.g. `scrape metrics` or `remote write`. */
  readonly purpose: string;
}

/** Pods that any pod of the cluster may reach on `ports` (a shared intake such as OTLP). */
export interface ClusterIntake {
  readonly to: PodPeer;
  readonly ports: readonly string[];
  readonly purpose: string;
}

/** Pods that Prometheus (or another scraper) pulls metrics from, on named container ports. */
export interface ScrapeTarget {
  readonly pods: PodPeer;
  readonly ports: readonly string[];
  /** A pod on the host network is outside NetworkPolicy's reach; no policy is rendered for it. */
  readonly hostNetwork: boolean;
}

/**
 * The list of wires between the stack's components, for one environment. Constructs add to it as
 * they connect to each other; the network-policy chart, rendered last, turns it into ingress rules,
 * and the wiring tests read the same list. It is created per environment and passed explicitly:
 * there is no global registry.
 */
export class StackWiring {
  private readonly connectionList: Connection[] = [];
  private readonly scrapeTargetList: ScrapeTarget[] = [];
  private readonly scraperList: PodPeer[] = [];
  private readonly intakeList: ClusterIntake[] = [];

  connect(connection: Connection): void {
    if (connection.ports.length === 0) {
      throw new Error(`connection ${connection.from.name} -> ${connection.to.name}: 'ports' must not be empty`);
    }
    this.connectionList.push(connection);
  }

  addScrapeTarget(target: ScrapeTarget): void {
    this.scrapeTargetList.push(target);
  }

  /** Opens `ports` of `to` to every pod in the cluster. */
  openToCluster(intake: ClusterIntake): void {
    this.intakeList.push(intake);
  }

  get clusterIntakes(): readonly ClusterIntake[] {
    return this.intakeList;
  }

  /** Registers pods that scrape every scrape target (Prometheus). */
  addScraper(scraper: PodPeer): void {
    this.scraperList.push(scraper);
  }

  get scrapeTargets(): readonly ScrapeTarget[] {
    return this.scrapeTargetList;
  }

  /** Every connection: the explicit ones plus one per scraper and scrape target. */
  get connections(): readonly Connection[] {
    const scrapes: Connection[] = [];
    for (const scraper of this.scraperList) {
      for (const target of this.scrapeTargetList) {
        if (target.hostNetwork) continue;
        scrapes.push({ from: scraper, to: target.pods, ports: target.ports, purpose: 'scrape metrics' });
      }
    }
    return [...this.connectionList, ...scrapes];
  }
}
