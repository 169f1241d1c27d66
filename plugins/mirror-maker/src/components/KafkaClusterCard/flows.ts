import { parseEntityRef } from '@backstage/catalog-model';
import type { TopologyEdge } from '@mirrormaker/plugin-mirror-maker-common';
import { MIRROR_MAKER_KIND } from '@mirrormaker/plugin-mirror-maker-common';
import type {
  CompoundEntityRef,
  DeploymentMetrics,
  EntityTopology,
} from '../../api';

/** The topology of a kafka-cluster Resource. */
export type ClusterTopology = Extract<EntityTopology, { role: 'cluster' }>;

/** What is known of one flow's figures. */
export type FlowFigures =
  | { state: 'loading' }
  | { state: 'loaded'; metrics: DeploymentMetrics }
  | { state: 'error'; error: Error };

/** The window the card reads: short, since it shows figures of now. */
export const FLOW_METRICS_WINDOW = '15m';

/**
 * The flows into the cluster (it is the target) and out of it (it is the
 * source). A deployment that copies within the cluster is in both.
 */
export function splitFlows(topology: ClusterTopology): {
  inbound: TopologyEdge[];
  outbound: TopologyEdge[];
} {
  const cluster = topology.node.name;
  const byRef = (a: TopologyEdge, b: TopologyEdge) =>
    a.ref.localeCompare(b.ref);
  return {
    inbound: topology.edges.filter(e => e.target === cluster).sort(byRef),
    outbound: topology.edges.filter(e => e.source === cluster).sort(byRef),
  };
}

/** The deployment a topology edge names, as the API's routes take it. */
export function deploymentRefOf(ref: string): CompoundEntityRef {
  const parsed = parseEntityRef(ref, {
    defaultKind: MIRROR_MAKER_KIND,
    defaultNamespace: 'default',
  });
  return { kind: parsed.kind, namespace: parsed.namespace, name: parsed.name };
}
