import { LoggerService } from '@backstage/backend-plugin-api';
import { UnreachableTopics } from '@mirrormaker/plugin-mirror-maker-common';
import { ClusterRegistry, LiveTopicInfo } from '../kafka';

type Listing = LiveTopicInfo[] | UnreachableTopics;

/**
 * Live topic listings of every configured cluster, shared by concurrent
 * callers and kept for a few seconds: the topology, the entity views and
 * the topic list ask for the same listings many times a second when a page
 * loads, and each unreachable cluster costs a timeout.
 */
export class LiveTopics {
  private readonly cache = new Map<
    string,
    { at: number; listing: Promise<Listing> }
  >();

  constructor(
    private readonly options: {
      clusters: ClusterRegistry;
      logger: LoggerService;
      /** How long a listing is reused; default 5 s. */
      maxAgeMs?: number;
      now?: () => number;
    },
  ) {}

  /**
   * One cluster's listing, or its `unreachable` mark. Never throws for
   * connectivity. `fresh` skips a cached listing (the new one is cached).
   */
  listing(
    cluster: string,
    options: { fresh?: boolean } = {},
  ): Promise<Listing> {
    const now = (this.options.now ?? Date.now)();
    const maxAge = this.options.maxAgeMs ?? 5000;
    const cached = this.cache.get(cluster);
    if (!options.fresh && cached && now - cached.at < maxAge) {
      return cached.listing;
    }
    const listing = this.options.clusters.listTopics(cluster).then(
      topics => topics as Listing,
      error => {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger.warn(`Live topics of ${cluster}: ${reason}`);
        // Failures are not reused: the next call retries at once.
        this.cache.delete(cluster);
        return { unreachable: true, error: reason } as UnreachableTopics;
      },
    );
    this.cache.set(cluster, { at: now, listing });
    return listing;
  }

  /** Every configured cluster's listing, fetched concurrently. */
  async all(): Promise<Record<string, Listing>> {
    const names = this.options.clusters.list().map(c => c.name);
    const listings = await Promise.all(names.map(n => this.listing(n)));
    return Object.fromEntries(names.map((n, i) => [n, listings[i]]));
  }
}

/** Non-internal topic names of a listing, as the topology takes them. */
export function topicNames(listing: Listing): string[] | UnreachableTopics {
  if (!Array.isArray(listing)) return listing;
  return listing.filter(t => !t.internal).map(t => t.name);
}
