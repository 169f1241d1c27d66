import {
  DeployTarget,
  ProcessAddress,
} from '@mirrormaker/plugin-mirror-maker-node';
import { Admin } from 'kafkajs';
import { scrape, sumMetrics } from './prometheus';

export interface GateOptions {
  /** How long a process may take to run and join its group. Default 120 s. */
  timeoutMs: number;
  /** Between two checks. Default 1 s. */
  pollMs: number;
  /** Window over which lag must not grow and drops must not rise. Default 10 s. */
  windowMs: number;
  /** Lag growth below this many records is noise (a burst between samples). Default 1,000. */
  lagToleranceRecords: number;
}

export const DEFAULT_GATE: GateOptions = {
  timeoutMs: 120_000,
  pollMs: 1_000,
  windowMs: 10_000,
  lagToleranceRecords: 1_000,
};

export type GateResult =
  | { ok: true; message: string }
  | { ok: false; reason: string };

const DROPPED = 'kafka_mirrormaker_dropped_messages';
const LAG_MAX = 'kafka_consumer_records_lag_max';
const SEND_ERRORS = 'kafka_producer_record_error_rate';
const ASSIGNED = 'kafka_consumer_assigned_partitions';

/**
 * The rollout's health gate for one process, stronger than the seed's "the
 * JMX port is open": the process runs (and has not been restarted by its
 * supervisor), the MirrorMaker consumer group is stable with every running
 * process's streams as members, and over a window the consumer's lag does
 * not grow and no record is dropped.
 */
export async function healthGate(args: {
  deploymentRef: string;
  process: ProcessAddress & { metricsUrl?: string };
  target: DeployTarget;
  source: Admin;
  groupId: string;
  numStreams: number;
  options: GateOptions;
  /** Called with what the gate is waiting for, for progress events. */
  onWait?: (what: string) => void;
  /** True when the rollout was asked to stop. */
  cancelled?: () => boolean;
  sleep?: (ms: number) => Promise<void>;
}): Promise<GateResult> {
  const { target, process: proc, options } = args;
  const sleep =
    args.sleep ?? ((ms: number) => new Promise(r => setTimeout(r, ms)));
  const deadline = Date.now() + options.timeoutMs;
  const where = `process ${proc.index} on ${proc.host}`;

  let waitingFor = '';
  const waiting = (what: string) => {
    if (what !== waitingFor) args.onWait?.(what);
    waitingFor = what;
  };

  // 1. Running, and joined.
  for (;;) {
    if (args.cancelled?.())
      return { ok: false, reason: 'the rollout was stopped' };
    const statuses = await target.status(args.deploymentRef);
    const mine = statuses.find(
      s => s.host === proc.host && s.index === proc.index,
    );
    if (!mine) {
      return {
        ok: false,
        reason: `${where} is unknown to its target after start`,
      };
    }
    if (mine.state === 'failed' || mine.restarts > 0) {
      return {
        ok: false,
        reason: `${where} exited after start${
          mine.message ? `: ${mine.message}` : ''
        }`,
      };
    }
    const running = statuses.filter(s => s.state === 'running').length;
    if (mine.state === 'running') {
      const expected = running * args.numStreams;
      try {
        const { groups } = await args.source.describeGroups([args.groupId]);
        const group = groups[0];
        if (
          group &&
          group.state === 'Stable' &&
          group.members.length >= expected
        ) {
          break;
        }
        waiting(
          `consumer group ${args.groupId}: ${group?.state ?? 'absent'} with ${
            group?.members.length ?? 0
          } of ${expected} members`,
        );
      } catch (error) {
        // A group nobody joined yet has no coordinator to ask.
        waiting(
          `consumer group ${args.groupId}: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    } else {
      waiting(`${where} to run (${mine.state})`);
    }
    if (Date.now() > deadline) {
      return {
        ok: false,
        reason: `${where} did not become healthy within ${Math.round(
          options.timeoutMs / 1000,
        )} s; last seen waiting for ${waitingFor}`,
      };
    }
    await sleep(options.pollMs);
  }

  // 2. Over a window: lag not growing, nothing dropped.
  if (!proc.metricsUrl) {
    return { ok: true, message: `${where} runs and joined ${args.groupId}` };
  }
  const read = async () => {
    const text = target.metrics
      ? await target.metrics(args.deploymentRef, proc)
      : await scrape(proc.metricsUrl!);
    return text === undefined
      ? undefined
      : sumMetrics(text, [DROPPED, LAG_MAX, SEND_ERRORS, ASSIGNED]);
  };
  // The group can look complete while a stopped process's member is still
  // in it; this process has joined once its consumer reports an assignment.
  let first = await read();
  while (
    (first === undefined || first[ASSIGNED] === undefined) &&
    Date.now() < deadline
  ) {
    if (args.cancelled?.()) {
      return { ok: false, reason: 'the rollout was stopped' };
    }
    waiting(
      first === undefined
        ? `metrics at ${proc.metricsUrl}`
        : `${where} to get its partitions`,
    );
    await sleep(options.pollMs);
    first = await read();
  }
  if (first === undefined) {
    return {
      ok: false,
      reason: `${where}: metrics at ${proc.metricsUrl} cannot be read`,
    };
  }
  if (first[ASSIGNED] === undefined) {
    return {
      ok: false,
      reason: `${where} got no partitions of ${
        args.groupId
      } within ${Math.round(options.timeoutMs / 1000)} s`,
    };
  }
  waiting(`a ${Math.round(options.windowMs / 1000)} s window of lag and drops`);
  await sleep(options.windowMs);
  if (args.cancelled?.())
    return { ok: false, reason: 'the rollout was stopped' };
  const second = await read();
  if (second === undefined) {
    return {
      ok: false,
      reason: `${where}: metrics at ${proc.metricsUrl} stopped answering`,
    };
  }
  const dropped = (second[DROPPED] ?? 0) - (first[DROPPED] ?? 0);
  if (dropped > 0) {
    return {
      ok: false,
      reason: `${where} dropped ${dropped} records within the window`,
    };
  }
  if ((second[SEND_ERRORS] ?? 0) > 0) {
    return {
      ok: false,
      reason: `${where} fails to produce into the target (${second[SEND_ERRORS]} send errors/s)`,
    };
  }
  const lag0 = first[LAG_MAX] ?? 0;
  const lag1 = second[LAG_MAX] ?? 0;
  if (lag1 > lag0 + options.lagToleranceRecords) {
    return {
      ok: false,
      reason: `${where}: consumer lag grew from ${lag0} to ${lag1} records within the window`,
    };
  }
  return {
    ok: true,
    message: `${where} runs, joined ${args.groupId}, lag ${lag1}, nothing dropped`,
  };
}
