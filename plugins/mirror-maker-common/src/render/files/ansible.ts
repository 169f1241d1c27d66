import { RenderContext } from '../context';
import { commentText } from '../escape/comment';
import { yamlString } from '../escape/yaml';
import { AppliedOverrides } from '../kafka/overrides';
import {
  yamlComments,
  yamlKey,
  yamlLines,
  yamlScalar,
  YamlValue,
} from '../yamlWriter';
import { GENERATED_NOTICE } from './header';

/** The inventory group of the seed's playbooks. */
export const ANSIBLE_GROUP = 'kafka-mirror-maker';

/**
 * Kafka client defaults for the seed variables our own files leave to the
 * client; the seed's templates write every variable, so each needs a value.
 */
const CLIENT_DEFAULTS: Record<string, string> = {
  'fetch.min.bytes': '1',
  'fetch.max.wait.ms': '500',
  'request.timeout.ms': '30000',
  'max.request.size': '1048576',
  'partitioner.class':
    'org.apache.kafka.clients.producer.internals.DefaultPartitioner',
};

/** The inventory: the deployment's nodes in the seed's group. */
export function renderInventory(ctx: RenderContext): string {
  return [
    commentText(
      `# Kafka MirrorMaker 1 deployment ${ctx.ref}: nodes for the seed's Ansible playbooks.`,
      'metadata.name',
    ),
    `# ${GENERATED_NOTICE}`,
    `[${ANSIBLE_GROUP}]`,
    // Hosts were checked to be host names or addresses: no spaces, "=", "[" or "#".
    ...ctx.spec.placement.nodes,
    '',
  ].join('\n');
}

/** A client setting as the seed's templates expect it: a number when it is one, else an `!unsafe` string. */
function value(text: string): string {
  return /^(?:0|[1-9][0-9]{0,14})$/.test(text)
    ? String(Number(text))
    : unsafe(text);
}

function unsafe(text: string): string {
  return `!unsafe ${yamlString(text)}`;
}

/** `key: ` for each variable, written once: the names are constant. */
const KEYS = Object.fromEntries(
  [
    'kafkaMirrorMakerReplicateTopicWhiteListPattern',
    'kafkaMirrorMakerHeapSize',
    'kafkaMirrorMakerProcessCountPerNode',
    'kafkaMirrorMakerJmxInitialPort',
    'kafkaMirrorMakerSourceDcClusterAddressString',
    'kafkaMirrorMakerGroupId',
    'kafkaMirrorMakerAutoOffsetReset',
    'kafkaMirrorMakerPartitionAssignmentStrategy',
    'kafkaMirrorMakerFetchMaxBytes',
    'kafkaMirrorMakerFetchMinBytes',
    'kafkaMirrorMakerFetchMaxWaitMs',
    'kafkaMirrorMakerDestinationDcClusterAddressString',
    'kafkaMirrorMakerCompressionType',
    'kafkaMirrorMakerPartitionerClass',
    'kafkaMirrorMakerRequestTimeoutMs',
    'kafkaMirrorMakerMaxBlockMs',
    'kafkaMirrorMakerLingerMs',
    'kafkaMirrorMakerMaxRequestSize',
    'kafkaMirrorMakerBatchSize',
    'kafkaMirrorMakerBufferMemory',
    'kafkaMirrorMakerMaxInFlightRequestsPerConnection',
    'kafkaMirrorMakerClientId',
    'kafkaMirrorMakerAcks',
    'kafkaMirrorMakerNumStreams',
    'kafkaMirrorMakerOffsetCommitIntervalMs',
    'kafkaMirrorMakerAbortOnSendFailure',
  ].map(name => [name, `${yamlKey(name)}: `]),
);

/**
 * The line of a spec value as renderYaml writes it: a number or boolean,
 * but any other value too (nested ones on lines of their own).
 */
function specLine(name: string, given: YamlValue): string {
  const written = yamlScalar(given);
  return written !== undefined
    ? `${KEYS[name]}${written}`
    : yamlLines({ [name]: given }, '').join('\n');
}

/** The constant end of the group_vars header. */
const HEADER_END = yamlComments([
  'The seed writes one producer file per node, so all its processes share kafkaMirrorMakerClientId;',
  "the plugin's own files give each process its own client.id. Use --include, not --whitelist, with this pattern.",
  GENERATED_NOTICE,
]).join('\n');

/**
 * group_vars for the seed's playbooks, under its variable names, holding
 * the values the plugin's own files use (`consumer` and `producer`: the
 * overrides those files applied). Every string is `!unsafe`, so Ansible
 * never evaluates a `{{ }}` or `{% %}` that a value contains. Written as
 * renderYaml writes the mapping, one variable per line in a fixed order.
 */
export function renderGroupVars(
  ctx: RenderContext,
  consumer: AppliedOverrides,
  producer: AppliedOverrides,
): string {
  // The effective client setting: what the last of client defaults,
  // consumer defaults and overrides, producer defaults and overrides gives.
  const effective = (key: string): string =>
    producer.overrides[key] ??
    producer.defaults[key] ??
    consumer.overrides[key] ??
    consumer.defaults[key] ??
    CLIENT_DEFAULTS[key];
  const spec = ctx.spec;
  const body =
    `${KEYS.kafkaMirrorMakerReplicateTopicWhiteListPattern}${unsafe(
      ctx.include,
    )}` +
    `\n${KEYS.kafkaMirrorMakerHeapSize}${unsafe(spec.jvm.heap)}` +
    `\n${specLine(
      'kafkaMirrorMakerProcessCountPerNode',
      spec.placement.processesPerNode,
    )}` +
    `\n${specLine('kafkaMirrorMakerJmxInitialPort', spec.jmx.initialPort)}` +
    `\n${KEYS.kafkaMirrorMakerSourceDcClusterAddressString}${unsafe(
      ctx.source.brokers.join(','),
    )}` +
    `\n${KEYS.kafkaMirrorMakerGroupId}${unsafe(spec.groupId)}` +
    `\n${KEYS.kafkaMirrorMakerAutoOffsetReset}${value(
      effective('auto.offset.reset'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerPartitionAssignmentStrategy}${value(
      effective('partition.assignment.strategy'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerFetchMaxBytes}${value(
      effective('fetch.max.bytes'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerFetchMinBytes}${value(
      effective('fetch.min.bytes'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerFetchMaxWaitMs}${value(
      effective('fetch.max.wait.ms'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerDestinationDcClusterAddressString}${unsafe(
      ctx.target.brokers.join(','),
    )}` +
    `\n${KEYS.kafkaMirrorMakerCompressionType}${value(
      effective('compression.type'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerPartitionerClass}${value(
      effective('partitioner.class'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerRequestTimeoutMs}${value(
      effective('request.timeout.ms'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerMaxBlockMs}${value(effective('max.block.ms'))}` +
    `\n${KEYS.kafkaMirrorMakerLingerMs}${value(effective('linger.ms'))}` +
    `\n${KEYS.kafkaMirrorMakerMaxRequestSize}${value(
      effective('max.request.size'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerBatchSize}${value(effective('batch.size'))}` +
    `\n${KEYS.kafkaMirrorMakerBufferMemory}${value(
      effective('buffer.memory'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerMaxInFlightRequestsPerConnection}${value(
      effective('max.in.flight.requests.per.connection'),
    )}` +
    `\n${KEYS.kafkaMirrorMakerClientId}${unsafe(`${spec.groupId}-producer`)}` +
    `\n${KEYS.kafkaMirrorMakerAcks}${value(effective('acks'))}` +
    `\n${specLine('kafkaMirrorMakerNumStreams', spec.placement.numStreams)}` +
    `\n${specLine(
      'kafkaMirrorMakerOffsetCommitIntervalMs',
      spec.offsetCommitIntervalMs,
    )}` +
    `\n${specLine(
      'kafkaMirrorMakerAbortOnSendFailure',
      spec.abortOnSendFailure,
    )}`;
  const header = yamlComments([
    `Kafka MirrorMaker 1 deployment ${ctx.ref}: group_vars/${ANSIBLE_GROUP}.yml for the seed's playbooks.`,
    `Source ${ctx.source.name}, target ${ctx.target.name}. Every string is !unsafe: Ansible never templates it.`,
  ]).join('\n');
  return `---\n${header}\n${HEADER_END}\n${body}\n`;
}
