import { plural } from './findings';
import { TopicClass, Topology } from './types';

/** Lays out rows in columns padded to the widest cell; the last column is not padded. */
function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map(row =>
    (
      indent +
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell.padEnd(widths[i]),
        )
        .join('  ')
    ).trimEnd(),
  );
}

const CLASS_ORDER: TopicClass[] = [
  'local-origin',
  'replica',
  'unreplicated',
  'conflicting',
  'unknown-suffix',
];

/**
 * A plain-text report of a topology: data centres, flows, the suffix map,
 * live topic classes and findings (errors first). Deterministic, so it can
 * be diffed in CI.
 */
export function topologyToText(t: Topology): string {
  const lines: string[] = [];
  const { errors, warnings, infos } = t.summary;
  lines.push(
    `MirrorMaker topology: ${plural(
      t.dataCentres.length,
      'data centre',
    )}, ${plural(t.nodes.length, 'cluster')}, ${plural(
      t.edges.length,
      'deployment',
    )}`,
  );
  lines.push(
    `Findings: ${plural(errors, 'error')}, ${plural(
      warnings,
      'warning',
    )}, ${plural(infos, 'info')}`,
  );

  lines.push('', 'Data centres');
  const nodeByName = new Map(t.nodes.map(node => [node.name, node]));
  if (t.dataCentres.length === 0) lines.push('  (no clusters configured)');
  for (const dc of t.dataCentres) {
    const clusters = dc.clusters.map(name => {
      const node = nodeByName.get(name)!;
      const details = [`suffix .${node.topicSuffix}`];
      if (node.unreachable) {
        details.push(`unreachable${node.error ? `: ${node.error}` : ''}`);
      } else if (node.liveTopicCount !== undefined) {
        details.push(plural(node.liveTopicCount, 'live topic'));
      }
      return `${name} (${details.join(', ')})`;
    });
    lines.push(`  ${dc.name}: ${clusters.join('; ')}`);
  }

  lines.push('', 'Flows');
  if (t.edges.length === 0) lines.push('  (no deployments)');
  lines.push(
    ...table(
      t.edges.map(edge => {
        let state = '';
        if (edge.selfReplication) state = 'SELF-REPLICATION';
        else if (!edge.valid) state = 'NOT ANALYSED';
        const copies =
          edge.replicatedTopicCount !== undefined
            ? plural(edge.replicatedTopicCount, 'topic')
            : '';
        return [
          `${edge.source} -> ${edge.target}`,
          edge.ref,
          `${edge.rule} ${
            edge.rule === 'names' ? edge.names.join('|') : edge.include
          }`,
          edge.carries.length > 0
            ? `carries ${edge.carries.map(s => `.${s}`).join(' ')}`
            : '',
          copies,
          state,
        ];
      }),
    ),
  );

  lines.push('', 'Suffix map');
  const rows: string[][] = [
    ['SUFFIX', 'HOME', 'REACHES', 'HOPS', 'BY', 'LIVE', 'VIA'],
  ];
  for (const row of t.suffixMap) {
    const homes =
      row.homes.length > 0
        ? row.homes
            .map(home =>
              home.liveTopicCount !== undefined
                ? `${home.cluster} (${home.liveTopicCount})`
                : home.cluster,
            )
            .join(', ')
        : '(none)';
    if (row.reaches.length === 0) {
      rows.push([`.${row.suffix}`, homes, '-', '', '', '', 'not replicated']);
      continue;
    }
    row.reaches.forEach((reach, i) => {
      const liveCell =
        reach.liveTopicCount === undefined
          ? ''
          : `${reach.liveTopicCount}${
              reach.missingTopics
                ? ` (${reach.missingTopics.length} missing)`
                : ''
            }`;
      rows.push([
        i === 0 ? `.${row.suffix}` : '',
        i === 0 ? homes : '',
        reach.cluster,
        String(reach.hops),
        reach.by,
        liveCell,
        reach.via.join(' -> ') +
          (reach.writers.length > 1
            ? `  [written by ${reach.writers.join(', ')}]`
            : ''),
      ]);
    });
  }
  lines.push(...table(rows));

  const clustersWithTopics = Object.keys(t.topics);
  if (clustersWithTopics.length > 0) {
    lines.push('', 'Live topics');
    lines.push(
      ...table(
        clustersWithTopics.map(cluster => {
          const counts = new Map<TopicClass, number>();
          for (const topic of t.topics[cluster]) {
            counts.set(topic.class, (counts.get(topic.class) ?? 0) + 1);
          }
          const parts = CLASS_ORDER.filter(c => counts.has(c)).map(
            c => `${counts.get(c)} ${c}`,
          );
          return [cluster, parts.length > 0 ? parts.join(', ') : '(no topics)'];
        }),
      ),
    );
  }

  lines.push('', 'Findings');
  if (t.findings.length === 0) lines.push('  (none)');
  for (const finding of t.findings) {
    lines.push(
      `  ${finding.severity.toUpperCase().padEnd(7)}  ${finding.kind}: ${
        finding.message
      }`,
    );
  }
  return `${lines.join('\n')}\n`;
}
