import type { DeploymentMetrics, GroupLag } from '../../api';

/** The lag figures when the source answered. */
export function groupLagOf(
  lag: DeploymentMetrics['lag'],
): GroupLag | undefined {
  return lag.reachable && 'topics' in lag ? lag : undefined;
}

/** Why the lag is unknown, when it is. */
export function lagErrorOf(lag: DeploymentMetrics['lag']): string | undefined {
  if (groupLagOf(lag)) return undefined;
  return lag.error ?? 'the source cluster did not answer';
}
