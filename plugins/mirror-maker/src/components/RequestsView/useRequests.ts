import { useCallback, useEffect, useRef, useState } from 'react';
import {
  REPLICATION_REQUEST_STATUSES,
  ReplicationRequest,
  ReplicationRequestStatus,
} from '@mirrormaker/plugin-mirror-maker-common';
import type { MirrorMakerApi } from '../../api';
import { isActive } from './format';

const toError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

const newestFirst = (a: ReplicationRequest, b: ReplicationRequest) =>
  b.createdAt.localeCompare(a.createdAt);

export interface RequestQueue {
  requests?: ReplicationRequest[];
  error?: Error;
  /** Fetch again now. */
  reload: () => void;
  /** Show a request as an action answered it, until the next fetch. */
  replace: (request: ReplicationRequest) => void;
}

/**
 * The requests in the given statuses (about `entity`, if given), fetched
 * again every `intervalMs` while one of them is pending or approved.
 *
 * A request that leaves the filter while shown stays in the list with its
 * new status until the filter changes: whoever watched it go from pending
 * to approved also sees it applied (or failed). Those stragglers are
 * fetched one by one while they are still active.
 */
export function useRequestQueue(
  api: Pick<MirrorMakerApi, 'listRequests' | 'getRequest'>,
  options: {
    statuses: ReplicationRequestStatus[];
    entity?: string;
    intervalMs: number;
  },
): RequestQueue {
  const { entity, intervalMs } = options;
  const all =
    options.statuses.length === 0 ||
    REPLICATION_REQUEST_STATUSES.every(s => options.statuses.includes(s));
  const statusKey = all ? '' : options.statuses.join(',');

  const [requests, setRequests] = useState<ReplicationRequest[]>();
  const [error, setError] = useState<Error>();
  const [version, setVersion] = useState(0);
  const shown = useRef<ReplicationRequest[]>([]);

  // A new filter starts from an empty list.
  useEffect(() => {
    shown.current = [];
    setRequests(undefined);
    setError(undefined);
  }, [api, statusKey, entity]);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let next = shown.current;
      try {
        const list = await api.listRequests({
          ...(statusKey
            ? { status: statusKey.split(',') as ReplicationRequestStatus[] }
            : {}),
          ...(entity ? { entity } : {}),
        });
        if (cancelled) return;
        const listed = new Set(list.items.map(r => r.id));
        const stragglers = await Promise.all(
          shown.current
            .filter(r => !listed.has(r.id))
            .map(r => (isActive(r) ? api.getRequest(r.id).catch(() => r) : r)),
        );
        if (cancelled) return;
        next = [...list.items, ...stragglers].sort(newestFirst);
        shown.current = next;
        setRequests(next);
        setError(undefined);
      } catch (e) {
        if (cancelled) return;
        setError(toError(e));
        // The queue stays on screen; asking again may work.
      }
      if (next.some(isActive)) {
        timer = setTimeout(tick, intervalMs);
      }
    };
    void tick();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, statusKey, entity, intervalMs, version]);

  const reload = useCallback(() => setVersion(v => v + 1), []);
  const replace = useCallback((request: ReplicationRequest) => {
    const next = shown.current.some(r => r.id === request.id)
      ? shown.current.map(r => (r.id === request.id ? request : r))
      : [request, ...shown.current].sort(newestFirst);
    shown.current = next;
    setRequests(next);
  }, []);

  return { requests, error, reload, replace };
}

/** One request, fetched again every `intervalMs` while it is pending or approved. */
export function useRequest(
  api: Pick<MirrorMakerApi, 'getRequest'>,
  id: string,
  intervalMs: number,
): RequestQueue {
  const [request, setRequest] = useState<ReplicationRequest>();
  const [error, setError] = useState<Error>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    setRequest(undefined);
    setError(undefined);
  }, [api, id]);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await api.getRequest(id);
        if (cancelled) return;
        setRequest(next);
        setError(undefined);
        if (!isActive(next)) return;
      } catch (e) {
        if (cancelled) return;
        const err = toError(e);
        setError(err);
        const status = (err as { statusCode?: unknown }).statusCode;
        // Asking again for a request that is not there gets the same answer.
        if (typeof status === 'number' && status >= 400 && status < 500) {
          return;
        }
      }
      timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, id, intervalMs, version]);

  return {
    requests: request ? [request] : undefined,
    error,
    reload: useCallback(() => setVersion(v => v + 1), []),
    replace: setRequest,
  };
}
