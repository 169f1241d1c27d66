import {
  buildTopology,
  normalizeEntityRef,
  topologyToText,
} from '@mirrormaker/plugin-mirror-maker-common';
import { formatFileProblems, loadAndCheck } from '../load';
import { CommandResult } from './validate';

/**
 * `mirror-maker topology <files...>`: data centres, flows, the suffix map
 * and findings, as text or JSON. Exit 1 when a finding is an error (a loop,
 * self-replication, ...), so CI can gate on it.
 */
export function topologyCommand(
  files: string[],
  options: { config: string[]; json?: boolean },
): CommandResult {
  const {
    config,
    deployments: checked,
    loadProblems,
  } = loadAndCheck(files, options.config);
  const deployments = checked
    .filter(d => d.source && d.target)
    .map(d => ({
      ref: normalizeEntityRef(
        d.entity.metadata.name,
        'mirrormaker',
        d.entity.metadata.namespace ?? 'default',
      ),
      title: d.entity.metadata.name,
      source: d.source!.name,
      target: d.target!.name,
      topics: d.entity.spec.topics,
    }));
  const topology = buildTopology({ clusters: config.clusters, deployments });
  const failed =
    topology.findings.some(f => f.severity === 'error') ||
    loadProblems.length > 0;
  const skipped = checked.filter(d => !d.source || !d.target);
  const notes = [
    ...(loadProblems.length > 0 ? [formatFileProblems(loadProblems)] : []),
    ...skipped.map(
      d =>
        `${d.file}: MirrorMaker ${d.entity.metadata.name}: left out (run validate to see why)`,
    ),
  ];
  const body = options.json
    ? JSON.stringify(topology, null, 2)
    : topologyToText(topology);
  return {
    exitCode: failed ? 1 : 0,
    stdout: `${[...notes, body].join('\n')}\n`,
  };
}
