import { Bundle, RenderInput } from '@mirrormaker/plugin-mirror-maker-common';

/** Whether a deploy target can take work right now, and why not. */
export interface DeployTargetReadiness {
  ready: boolean;
  /** Human-readable reason, shown by `GET /health` and in the UI. */
  message?: string;
}

/** One MirrorMaker process of a deployment: a node and a process number there. */
export interface ProcessAddress {
  /** Host name from `spec.placement.nodes`. */
  host: string;
  /** Process number on that node, 1 to `processesPerNode`. */
  index: number;
}

/** What a target is asked to put in place: one revision of one deployment. */
export interface DeployRequest {
  /** Entity ref of the MirrorMaker, e.g. `mirrormaker:default/dc1-to-dc2`. */
  deploymentRef: string;
  /** The revision being rolled out (its number, for file headers and logs). */
  revision: { id: string; number: number };
  /**
   * What the files are rendered from, with the clusters' secrets: a target
   * may render again with its own layout (the `local` target does, to put
   * every path under its working directory and give each node its ports).
   */
  input: RenderInput;
  /** The files as rendered for the nodes (what `ssh` installs). */
  bundle: Bundle;
}

/** A process as its target sees it. */
export interface ProcessStatus extends ProcessAddress {
  state: 'running' | 'starting' | 'restarting' | 'stopped' | 'failed';
  pid?: number;
  /** Restarts by the supervisor since the last deliberate start. */
  restarts: number;
  /** When the process entered its state (ISO 8601). */
  since: string;
  /** Revision whose files the process runs. */
  revisionId?: string;
  /** URL of its Prometheus JMX exporter, for the health gate and metrics. */
  metricsUrl?: string;
  /** Why it stopped or failed, or the last lines of its log. */
  message?: string;
}

/**
 * Where the MirrorMaker processes of a deployment run (the embedded `local`
 * target, `ssh`, or one a module adds, say Kubernetes). A deployment names
 * its target in `spec.deploy.target`. The rollout engine calls these one
 * process at a time: stop, write files, start, then its own health gate;
 * every method must be safe to call again after a failure (idempotent).
 */
export interface DeployTarget {
  /** Unique name; lower-case letters, digits and dashes. */
  readonly name: string;
  /** Reports whether the target can deploy (tools present, hosts reachable). */
  checkReadiness(): Promise<DeployTargetReadiness>;
  /** The processes of the request, in rollout order, with where their metrics are. */
  plan(
    request: DeployRequest,
  ): Promise<(ProcessAddress & { metricsUrl?: string })[]>;
  /** Stops one process: SIGTERM (or its service manager's stop), then SIGKILL after `timeoutMs`. */
  stopProcess(
    deploymentRef: string,
    process: ProcessAddress,
    options: { timeoutMs: number },
  ): Promise<void>;
  /** Writes the files of one process of the request, atomically per file. */
  writeFiles(request: DeployRequest, process: ProcessAddress): Promise<void>;
  /** Starts one process from the files written for it. */
  startProcess(request: DeployRequest, process: ProcessAddress): Promise<void>;
  /** Every process the target knows of for the deployment. */
  status(deploymentRef: string): Promise<ProcessStatus[]>;
  /** Stops every process of the deployment and forgets them. */
  stopDeployment(
    deploymentRef: string,
    options: { timeoutMs: number },
  ): Promise<void>;
  /**
   * The Prometheus text of one process's JMX exporter, read where it
   * listens, for targets whose nodes the backend cannot reach directly
   * (the exporter binds to the node's loopback). Without it the health gate
   * fetches `metricsUrl` itself.
   */
  metrics?(
    deploymentRef: string,
    process: ProcessAddress,
  ): Promise<string | undefined>;
  /** Recent log lines of one process, oldest first. */
  logs?(
    deploymentRef: string,
    process: ProcessAddress,
    options: { lines: number },
  ): Promise<string[]>;
}
