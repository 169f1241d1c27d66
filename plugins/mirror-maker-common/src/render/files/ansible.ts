import { RenderContext } from '../context';
import { commentText } from '../escape/comment';
import { applyOverrides } from '../kafka/overrides';
import { CONSUMER_DEFAULTS, consumerForbiddenReason } from '../kafka/consumer';
import { PRODUCER_DEFAULTS, producerForbiddenReason } from '../kafka/producer';
import { renderYaml, YamlValue } from '../yamlWriter';
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

function value(text: string): YamlValue {
  return /^(?:0|[1-9][0-9]{0,14})$/.test(text)
    ? Number(text)
    : { unsafe: text };
}

/**
 * group_vars for the seed's playbooks, under its variable names, holding
 * the values the plugin's own files use. Every string is `!unsafe`, so
 * Ansible never evaluates a `{{ }}` or `{% %}` that a value contains.
 */
export function renderGroupVars(ctx: RenderContext): string {
  const consumer = applyOverrides(
    CONSUMER_DEFAULTS,
    ctx.spec.consumer,
    consumerForbiddenReason,
    'spec.consumer',
  );
  const producer = applyOverrides(
    PRODUCER_DEFAULTS,
    ctx.spec.producer,
    producerForbiddenReason,
    'spec.producer',
  );
  const effective: Record<string, string> = {
    ...CLIENT_DEFAULTS,
    ...consumer.defaults,
    ...consumer.overrides,
    ...producer.defaults,
    ...producer.overrides,
  };
  const spec = ctx.spec;
  const vars: Record<string, YamlValue> = {
    kafkaMirrorMakerReplicateTopicWhiteListPattern: { unsafe: ctx.include },
    kafkaMirrorMakerHeapSize: { unsafe: spec.jvm.heap },
    kafkaMirrorMakerProcessCountPerNode: spec.placement.processesPerNode,
    kafkaMirrorMakerJmxInitialPort: spec.jmx.initialPort,
    kafkaMirrorMakerSourceDcClusterAddressString: {
      unsafe: ctx.source.brokers.join(','),
    },
    kafkaMirrorMakerGroupId: { unsafe: spec.groupId },
    kafkaMirrorMakerAutoOffsetReset: value(effective['auto.offset.reset']),
    kafkaMirrorMakerPartitionAssignmentStrategy: value(
      effective['partition.assignment.strategy'],
    ),
    kafkaMirrorMakerFetchMaxBytes: value(effective['fetch.max.bytes']),
    kafkaMirrorMakerFetchMinBytes: value(effective['fetch.min.bytes']),
    kafkaMirrorMakerFetchMaxWaitMs: value(effective['fetch.max.wait.ms']),
    kafkaMirrorMakerDestinationDcClusterAddressString: {
      unsafe: ctx.target.brokers.join(','),
    },
    kafkaMirrorMakerCompressionType: value(effective['compression.type']),
    kafkaMirrorMakerPartitionerClass: value(effective['partitioner.class']),
    kafkaMirrorMakerRequestTimeoutMs: value(effective['request.timeout.ms']),
    kafkaMirrorMakerMaxBlockMs: value(effective['max.block.ms']),
    kafkaMirrorMakerLingerMs: value(effective['linger.ms']),
    kafkaMirrorMakerMaxRequestSize: value(effective['max.request.size']),
    kafkaMirrorMakerBatchSize: value(effective['batch.size']),
    kafkaMirrorMakerBufferMemory: value(effective['buffer.memory']),
    kafkaMirrorMakerMaxInFlightRequestsPerConnection: value(
      effective['max.in.flight.requests.per.connection'],
    ),
    kafkaMirrorMakerClientId: { unsafe: `${spec.groupId}-producer` },
    kafkaMirrorMakerAcks: value(effective.acks),
    kafkaMirrorMakerNumStreams: spec.placement.numStreams,
    kafkaMirrorMakerOffsetCommitIntervalMs: spec.offsetCommitIntervalMs,
    kafkaMirrorMakerAbortOnSendFailure: spec.abortOnSendFailure,
  };
  return renderYaml(
    vars,
    [
      `Kafka MirrorMaker 1 deployment ${ctx.ref}: group_vars/${ANSIBLE_GROUP}.yml for the seed's playbooks.`,
      `Source ${ctx.source.name}, target ${ctx.target.name}. Every string is !unsafe: Ansible never templates it.`,
      'The seed writes one producer file per node, so all its processes share kafkaMirrorMakerClientId;',
      "the plugin's own files give each process its own client.id. Use --include, not --whitelist, with this pattern.",
      GENERATED_NOTICE,
    ],
    true,
  );
}
