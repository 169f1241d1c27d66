import { MIRROR_MAKER_API_VERSION, MIRROR_MAKER_KIND } from '../constants';
import { mirrorMakerSpecSchema } from '../kind/schema';
import { MirrorMakerEntity, MirrorMakerSpec } from '../kind/types';
import { validateTopicName } from '../topics/names';
import { checkTopicRegex } from '../topics/regex';
import { validateClientOverrides } from './clientConfig';
import { checkSchema, SchemaNode } from './schemaCheck';
import { error, ValidationProblem } from './problems';
import {
  absolutePathProblem,
  controlCharacterProblem,
  hostProblem,
  portProblem,
  printable,
  unixNameProblem,
} from './values';

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const ENTITY_REF =
  /^(?:[A-Za-z0-9][A-Za-z0-9._-]*:)?(?:[a-z0-9][a-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SUFFIX = /^[A-Za-z0-9_-]{1,64}$/;
const GROUP_ID = /^[A-Za-z0-9._-]{1,249}$/;
const HEAP = /^[1-9][0-9]{0,6}[kKmMgG]$/;
const LOG_SIZE = /^[1-9][0-9]{0,5}(KB|MB|GB)$/;
const TARGET_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const LABEL_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const LABEL_VALUE = /^[A-Za-z0-9 ._:/@+-]{0,128}$/;
const OPTION_KEY = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/** Limits that keep a deployment's files and ports sane. */
export const LIMITS = {
  nodes: 100,
  processesPerNode: 64,
  numStreams: 256,
  offsetCommitIntervalMs: [1000, 3_600_000] as const,
  maxBackupIndex: 1000,
};

function range(
  problems: ValidationProblem[],
  path: string,
  value: number | undefined,
  min: number,
  max: number,
) {
  if (value !== undefined && (value < min || value > max)) {
    problems.push(
      error(path, `${value} is out of range; use ${min} to ${max}`),
    );
  }
}

function pattern(
  problems: ValidationProblem[],
  path: string,
  value: string | undefined,
  re: RegExp,
  accepted: string,
) {
  if (value === undefined) return;
  const control = controlCharacterProblem(value);
  if (control) {
    problems.push(error(path, control));
  } else if (!re.test(value)) {
    problems.push(
      error(path, `"${printable(value)}" is not accepted; ${accepted}`),
    );
  }
}

function checkTopics(spec: MirrorMakerSpec, problems: ValidationProblem[]) {
  const topics = spec.topics;
  const rules = (['suffix', 'include', 'names'] as const).filter(
    rule => topics[rule] !== undefined,
  );
  if (rules.length !== 1) {
    problems.push(
      error(
        'spec.topics',
        rules.length === 0
          ? 'needs one of suffix (e.g. dc1), include (a Java regex) or names (a list of topics)'
          : `sets ${rules.join(
              ' and ',
            )}; set exactly one of suffix, include or names`,
      ),
    );
  }
  pattern(
    problems,
    'spec.topics.suffix',
    topics.suffix,
    SUFFIX,
    'use 1 to 64 of [A-Za-z0-9_-] without the dot, e.g. dc1',
  );
  for (const field of ['include', 'exclude'] as const) {
    const regex = topics[field];
    if (regex !== undefined) {
      for (const message of checkTopicRegex(regex)) {
        problems.push(error(`spec.topics.${field}`, message));
      }
    }
  }
  const seen = new Set<string>();
  (topics.names ?? []).forEach((name, i) => {
    const issue = validateTopicName(name);
    if (issue) problems.push(error(`spec.topics.names[${i}]`, issue));
    else if (seen.has(name)) {
      problems.push(
        error(`spec.topics.names[${i}]`, `"${name}" is listed twice`),
      );
    }
    seen.add(name);
  });
}

function checkPlacementAndPorts(
  spec: MirrorMakerSpec,
  problems: ValidationProblem[],
) {
  const { nodes, processesPerNode = 1, numStreams } = spec.placement;
  if (nodes.length > LIMITS.nodes) {
    problems.push(
      error(
        'spec.placement.nodes',
        `lists ${nodes.length} nodes; at most ${LIMITS.nodes} are accepted`,
      ),
    );
  }
  const seen = new Set<string>();
  nodes.forEach((node, i) => {
    const issue = hostProblem(node);
    if (issue) problems.push(error(`spec.placement.nodes[${i}]`, issue));
    else if (seen.has(node.toLowerCase())) {
      problems.push(
        error(`spec.placement.nodes[${i}]`, `"${node}" is listed twice`),
      );
    }
    seen.add(node.toLowerCase());
  });
  range(
    problems,
    'spec.placement.processesPerNode',
    spec.placement.processesPerNode,
    1,
    LIMITS.processesPerNode,
  );
  range(
    problems,
    'spec.placement.numStreams',
    numStreams,
    1,
    LIMITS.numStreams,
  );

  const processes = Math.min(
    Math.max(processesPerNode, 1),
    LIMITS.processesPerNode,
  );
  const ports: { path: string; first: number }[] = [
    { path: 'spec.jmx.initialPort', first: spec.jmx?.initialPort ?? 9980 },
  ];
  if (spec.monitoring?.prometheus?.enabled !== false) {
    ports.push({
      path: 'spec.jmx.exporterInitialPort',
      first: spec.jmx?.exporterInitialPort ?? 9990,
    });
  }
  for (const { path, first } of ports) {
    const low = portProblem(first + 1);
    const high = portProblem(first + processes);
    if (first < 1024 - 1 || low || high) {
      problems.push(
        error(
          path,
          `${first} gives ports ${first + 1} to ${
            first + processes
          }; use a start port so that all lie in 1024 to 65535`,
        ),
      );
    }
  }
  if (ports.length === 2) {
    const [a, b] = ports;
    if (
      a.first + 1 <= b.first + processes &&
      b.first + 1 <= a.first + processes
    ) {
      problems.push(
        error(
          'spec.jmx.exporterInitialPort',
          `exporter ports ${b.first + 1}-${
            b.first + processes
          } collide with JMX ports ${a.first + 1}-${
            a.first + processes
          } on the same node; move one range`,
        ),
      );
    }
  }
}

function checkInstall(spec: MirrorMakerSpec, problems: ValidationProblem[]) {
  const install = spec.install ?? {};
  for (const key of [
    'kafkaHome',
    'configDir',
    'binDir',
    'logDir',
    'jmxExporterJar',
  ] as const) {
    const value = install[key];
    if (value !== undefined) {
      const issue = absolutePathProblem(value);
      if (issue) problems.push(error(`spec.install.${key}`, issue));
    }
  }
  if (install.javaBin !== undefined && install.javaBin !== 'java') {
    const issue = absolutePathProblem(install.javaBin);
    if (issue)
      problems.push(
        error('spec.install.javaBin', `${issue}, or "java" to use PATH`),
      );
  }
  for (const key of ['user', 'group'] as const) {
    const value = install[key];
    if (value !== undefined) {
      const issue = unixNameProblem(value);
      if (issue) problems.push(error(`spec.install.${key}`, issue));
    }
  }
}

function checkMonitoring(spec: MirrorMakerSpec, problems: ValidationProblem[]) {
  const monitoring = spec.monitoring ?? {};
  for (const [key, value] of Object.entries(monitoring.labels ?? {})) {
    pattern(
      problems,
      `spec.monitoring.labels.${key}`,
      key,
      LABEL_KEY,
      'label names are a letter or _ followed by up to 63 of [A-Za-z0-9_]',
    );
    pattern(
      problems,
      `spec.monitoring.labels.${key}`,
      value,
      LABEL_VALUE,
      'label values are up to 128 of letters, digits, space and . _ : / @ + -',
    );
  }
  if (monitoring.newRelic?.enabled) {
    if (monitoring.newRelic.accountId === undefined) {
      problems.push(
        error(
          'spec.monitoring.newRelic.accountId',
          'is required when New Relic is enabled (the dashboard queries this account)',
        ),
      );
    }
    range(
      problems,
      'spec.monitoring.newRelic.accountId',
      monitoring.newRelic.accountId,
      1,
      2 ** 53 - 1,
    );
  }
  range(
    problems,
    'spec.monitoring.alerts.lagGrowingMinutes',
    monitoring.alerts?.lagGrowingMinutes,
    1,
    1440,
  );
  range(
    problems,
    'spec.monitoring.alerts.heartbeatLatencySeconds',
    monitoring.alerts?.heartbeatLatencySeconds,
    1,
    86400,
  );
}

/**
 * Validates a MirrorMaker entity on its own (no cluster config needed):
 * structure, then every rule for values that reach generated files.
 */
export function validateMirrorMakerEntity(
  entity: unknown,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) {
    return [
      error(
        '(entity)',
        'must be an object with apiVersion, kind, metadata and spec',
      ),
    ];
  }
  const e = entity as Partial<MirrorMakerEntity>;
  if (e.apiVersion !== MIRROR_MAKER_API_VERSION) {
    problems.push(error('apiVersion', `must be ${MIRROR_MAKER_API_VERSION}`));
  }
  if (e.kind !== MIRROR_MAKER_KIND) {
    problems.push(error('kind', `must be ${MIRROR_MAKER_KIND}`));
  }
  const name = e.metadata?.name;
  if (typeof name !== 'string') {
    problems.push(error('metadata.name', 'is required'));
  } else {
    pattern(
      problems,
      'metadata.name',
      name,
      NAME,
      'use 1 to 63 of [A-Za-z0-9._-], starting and ending with a letter or digit',
    );
  }
  if (e.spec === undefined) {
    problems.push(error('spec', 'is required'));
    return problems;
  }
  const structural = checkSchema(
    mirrorMakerSpecSchema as unknown as SchemaNode,
    e.spec,
    'spec',
  );
  if (structural.length > 0) {
    return [...problems, ...structural];
  }
  const spec = e.spec as MirrorMakerSpec;
  for (const key of ['owner', 'system', 'source', 'target'] as const) {
    pattern(
      problems,
      `spec.${key}`,
      spec[key],
      ENTITY_REF,
      'give an entity ref such as group:default/kafka-platform or kafka-dc1',
    );
  }
  pattern(
    problems,
    'spec.lifecycle',
    spec.lifecycle,
    /^[A-Za-z0-9._-]{1,63}$/,
    'use 1 to 63 of [A-Za-z0-9._-]',
  );
  checkTopics(spec, problems);
  pattern(
    problems,
    'spec.groupId',
    spec.groupId,
    GROUP_ID,
    'use 1 to 249 of [A-Za-z0-9._-]',
  );
  checkPlacementAndPorts(spec, problems);
  checkInstall(spec, problems);
  pattern(
    problems,
    'spec.jvm.heap',
    spec.jvm?.heap,
    HEAP,
    'give a size such as 512M or 2G',
  );
  pattern(
    problems,
    'spec.logging.maxFileSize',
    spec.logging?.maxFileSize,
    LOG_SIZE,
    'give a size such as 100MB or 1GB',
  );
  range(
    problems,
    'spec.logging.maxBackupIndex',
    spec.logging?.maxBackupIndex,
    1,
    LIMITS.maxBackupIndex,
  );
  range(
    problems,
    'spec.offsetCommitIntervalMs',
    spec.offsetCommitIntervalMs,
    ...LIMITS.offsetCommitIntervalMs,
  );
  const abort = spec.abortOnSendFailure ?? true;
  problems.push(...validateClientOverrides('consumer', spec.consumer, abort));
  problems.push(...validateClientOverrides('producer', spec.producer, abort));
  pattern(
    problems,
    'spec.deploy.target',
    spec.deploy?.target,
    TARGET_NAME,
    'use a lower-case letter followed by up to 62 of [a-z0-9-]',
  );
  for (const [key, value] of Object.entries(spec.deploy?.options ?? {})) {
    pattern(
      problems,
      `spec.deploy.options.${key}`,
      key,
      OPTION_KEY,
      'option names are a letter followed by up to 63 of [A-Za-z0-9._-]',
    );
    const control = controlCharacterProblem(String(value));
    if (control) problems.push(error(`spec.deploy.options.${key}`, control));
  }
  checkMonitoring(spec, problems);
  return problems;
}
