import { MIRROR_MAKER_API_VERSION, MIRROR_MAKER_KIND } from '../constants';

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
        spec: {
          type: 'object',
          required: ['owner', 'source', 'target'],
          properties: {
            owner: {
              type: 'string',
              minLength: 1,
              description: 'Entity ref of the team that runs this deployment.',
            },
            system: {
              type: 'string',
              minLength: 1,
              description: 'Entity ref of the system it belongs to.',
            },
            lifecycle: { type: 'string', minLength: 1 },
            source: {
              type: 'string',
              minLength: 1,
              description:
                'Entity ref of the kafka-cluster Resource that MirrorMaker consumes from.',
            },
            target: {
              type: 'string',
              minLength: 1,
              description:
                'Entity ref of the kafka-cluster Resource that MirrorMaker produces into.',
            },
          },
        },
      },
    },
  ],
} as const;

/** The part of a MirrorMaker entity's spec every package can rely on. */
export interface MirrorMakerSpec {
  owner: string;
  system?: string;
  lifecycle?: string;
  source: string;
  target: string;
}
