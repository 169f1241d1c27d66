import { MIRROR_MAKER_API_VERSION, MIRROR_MAKER_KIND } from '../constants';

const scalar = { type: ['string', 'number', 'boolean'] };

/** JSON schema of `spec` of a MirrorMaker entity (structure only; see validate.ts for the rules). */
export const mirrorMakerSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['owner', 'source', 'target', 'topics', 'placement'],
  properties: {
    owner: {
      type: 'string',
      minLength: 1,
      description: 'Entity ref of the team that runs this deployment.',
    },
    system: { type: 'string', minLength: 1 },
    lifecycle: { type: 'string', minLength: 1 },
    source: {
      type: 'string',
      minLength: 1,
      description: 'Entity ref of the kafka-cluster Resource consumed from.',
    },
    target: {
      type: 'string',
      minLength: 1,
      description: 'Entity ref of the kafka-cluster Resource produced into.',
    },
    topics: {
      type: 'object',
      additionalProperties: false,
      properties: {
        suffix: { type: 'string' },
        include: { type: 'string' },
        names: { type: 'array', items: { type: 'string' }, minItems: 1 },
        exclude: { type: 'string' },
      },
    },
    groupId: { type: 'string' },
    placement: {
      type: 'object',
      additionalProperties: false,
      required: ['nodes'],
      properties: {
        nodes: { type: 'array', items: { type: 'string' }, minItems: 1 },
        processesPerNode: { type: 'integer' },
        numStreams: { type: 'integer' },
      },
    },
    install: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kafkaHome: { type: 'string' },
        configDir: { type: 'string' },
        binDir: { type: 'string' },
        logDir: { type: 'string' },
        user: { type: 'string' },
        group: { type: 'string' },
        javaBin: { type: 'string' },
        jmxExporterJar: { type: 'string' },
      },
    },
    jvm: {
      type: 'object',
      additionalProperties: false,
      properties: { heap: { type: 'string' } },
    },
    jmx: {
      type: 'object',
      additionalProperties: false,
      properties: {
        initialPort: { type: 'integer' },
        exporterInitialPort: { type: 'integer' },
      },
    },
    logging: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxFileSize: { type: 'string' },
        maxBackupIndex: { type: 'integer' },
      },
    },
    consumer: { type: 'object', additionalProperties: scalar },
    producer: { type: 'object', additionalProperties: scalar },
    offsetCommitIntervalMs: { type: 'integer' },
    abortOnSendFailure: { type: 'boolean' },
    deploy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        target: { type: 'string' },
        options: { type: 'object', additionalProperties: scalar },
      },
    },
    monitoring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        newRelic: {
          type: 'object',
          additionalProperties: false,
          properties: {
            enabled: { type: 'boolean' },
            accountId: { type: 'integer' },
            legacyFormat: { type: 'boolean' },
          },
        },
        prometheus: {
          type: 'object',
          additionalProperties: false,
          properties: { enabled: { type: 'boolean' } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        alerts: {
          type: 'object',
          additionalProperties: false,
          properties: {
            lagGrowingMinutes: { type: 'integer' },
            heartbeatLatencySeconds: { type: 'integer' },
          },
        },
      },
    },
  },
} as const;

/**
 * JSON schema of the `MirrorMaker` kind, in the form the catalog's
 * `entityKindSchemaValidator` takes (it extends the base `Entity` schema).
 */
export const mirrorMakerEntitySchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  $id: 'MirrorMakerV1alpha1',
  description:
    'One MirrorMaker 1 deployment: replicates topics from a source Kafka cluster into a target cluster.',
  allOf: [
    { $ref: 'Entity' },
    {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { enum: [MIRROR_MAKER_API_VERSION] },
        kind: { enum: [MIRROR_MAKER_KIND] },
        spec: mirrorMakerSpecSchema,
      },
    },
  ],
} as const;

/** JSON schema of one `mirrorMaker.clusters.<name>` entry. */
export const kafkaClusterConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['brokers', 'dataCentre', 'topicSuffix'],
  properties: {
    brokers: { type: 'array', items: { type: 'string' }, minItems: 1 },
    dataCentre: { type: 'string' },
    topicSuffix: { type: 'string' },
    security: {
      type: 'object',
      additionalProperties: false,
      properties: {
        protocol: { enum: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] },
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: {
            truststorePath: { type: 'string' },
            truststorePassword: { type: 'string' },
            truststoreType: { enum: ['JKS', 'PKCS12', 'PEM'] },
            keystorePath: { type: 'string' },
            keystorePassword: { type: 'string' },
            keyPassword: { type: 'string' },
            keystoreType: { enum: ['JKS', 'PKCS12', 'PEM'] },
            endpointIdentification: { type: 'boolean' },
          },
        },
        sasl: {
          type: 'object',
          additionalProperties: false,
          required: ['mechanism', 'username', 'password'],
          properties: {
            mechanism: { enum: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] },
            username: { type: 'string' },
            password: { type: 'string' },
          },
        },
      },
    },
    client: {
      type: 'object',
      additionalProperties: false,
      description:
        "The Backstage backend's own Kafka client; SASL and the protocol come from security.",
      properties: {
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ca: { type: 'string' },
            cert: { type: 'string' },
            key: { type: 'string' },
            rejectUnauthorized: { type: 'boolean' },
          },
        },
        connectionTimeoutMs: { type: 'integer' },
        requestTimeoutMs: { type: 'integer' },
      },
    },
  },
} as const;
