import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { requestRouteRef } from '../../routes';

type RouteRefArg = Parameters<typeof useRouteRef>[0];

/**
 * `useRouteRef`, or undefined where the route is not mounted (a card used in
 * an app without the plugin's page). useRouteRef calls all its hooks before
 * it throws, so the hook order stays the same.
 */
function useRouteRefIfMounted<T>(ref: RouteRefArg): T | undefined {
  try {
    return useRouteRef(ref) as unknown as T;
  } catch {
    return undefined;
  }
}

/** The path of a request's own page, `/mirror-maker/requests/:id`, when the page is mounted. */
export function useRequestLink(): ((id: string) => string) | undefined {
  const route =
    useRouteRefIfMounted<(params: { id: string }) => string>(requestRouteRef);
  return route ? (id: string) => route({ id }) : undefined;
}

/**
 * The Deployments view of a MirrorMaker entity, opened on one rollout.
 * `contentPath` is where the app mounts the replication content on the
 * entity page: the legacy app shows it at the page root, the new frontend
 * system under `mirror-maker`.
 */
export function useDeploymentLink(
  contentPath = '',
): ((deploymentRef: string, rolloutId?: string) => string) | undefined {
  const route =
    useRouteRefIfMounted<
      (params: { kind: string; namespace: string; name: string }) => string
    >(entityRouteRef);
  if (!route) return undefined;
  return (deploymentRef, rolloutId) => {
    const base = route(entityRouteParams(parseEntityRef(deploymentRef)));
    const sub = contentPath.replace(/^\/+|\/+$/g, '');
    const params = new URLSearchParams({ tab: 'deployments' });
    if (rolloutId) params.set('rollout', rolloutId);
    return `${base.replace(/\/+$/, '')}${sub ? `/${sub}` : ''}?${params}`;
  };
}
