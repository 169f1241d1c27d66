import { KafkaClusterConfig } from '../kind/clusters';
import { MirrorMakerEntity } from '../kind/types';

/** One generated file. */
export interface BundleFile {
  /** Absolute path on the node for node files; a relative path for deployment files. */
  path: string;
  /** Unix permission bits, e.g. `0o644`. */
  mode: number;
  content: string;
  /** Whether the content holds a password or other credential. */
  secret: boolean;
  /** What the file is for, in one sentence. */
  description: string;
}

/** The files of one MirrorMaker node. */
export interface BundleNode {
  host: string;
  files: BundleFile[];
}

/** Every file of one deployment. */
export interface Bundle {
  /** `metadata.name` of the MirrorMaker entity. */
  name: string;
  nodes: BundleNode[];
  /** Files that belong to the deployment, not to a node: dashboard, alert rules, Ansible inventory, README. */
  files: BundleFile[];
}

/** What a bundle is rendered from. */
export interface RenderInput {
  entity: MirrorMakerEntity;
  /** Connection details of the cluster `spec.source` points at. */
  source: KafkaClusterConfig;
  /** Connection details of the cluster `spec.target` points at. */
  target: KafkaClusterConfig;
  /** Topics of approved replication requests, added to the spec's own rule. */
  approvedTopics?: string[];
}
