import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  controlCharacterProblem,
  error,
  formatProblems,
  hasErrors,
  MIRROR_MAKER_API_VERSION,
  MIRROR_MAKER_KIND,
  MirrorMakerEntity,
  validateMirrorMakerEntity,
  ValidationProblem,
} from '@mirrormaker/plugin-mirror-maker-common';
import { isDeepStrictEqual } from 'node:util';
import yaml from 'yaml';
import { safeChildPath, writeWorkspaceFile } from '../lib/workspace';
import { examples } from './renderEntity.examples';

/** The inputs of `mirror-maker:entity:render`, as the action receives them. */
export interface RenderEntityInput {
  name: string;
  title?: string;
  description?: string;
  owner: string;
  system?: string;
  lifecycle?: string;
  source: string;
  target: string;
  topics: {
    suffix?: string;
    include?: string;
    names?: string[];
    exclude?: string;
  };
  placement: {
    nodes: string[];
    processesPerNode?: number;
    numStreams?: number;
  };
  deployTarget?: string;
}

/**
 * Line breaks and tabs are fine in a description (YAML escapes them); other
 * control characters, and U+2028/U+2029 that some YAML readers treat as line
 * breaks, are not. Returns the first offending index.
 */
function descriptionControlIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || c === 0x0a) continue;
    if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0xfeff
    ) {
      return i;
    }
  }
  return -1;
}

/** Builds the entity; drops fields that were left empty in the form. */
export function buildMirrorMakerEntity(
  input: RenderEntityInput,
): MirrorMakerEntity {
  const present = (value: string | undefined) =>
    value !== undefined && value !== '' ? value : undefined;
  const topics = Object.fromEntries(
    Object.entries(input.topics).filter(
      ([, value]) =>
        value !== undefined &&
        value !== '' &&
        !(Array.isArray(value) && value.length === 0),
    ),
  );
  const entity: MirrorMakerEntity = {
    apiVersion: MIRROR_MAKER_API_VERSION,
    kind: MIRROR_MAKER_KIND,
    metadata: {
      name: input.name,
      ...(present(input.title) && { title: input.title }),
      ...(present(input.description) && { description: input.description }),
    },
    spec: {
      owner: input.owner,
      ...(present(input.system) && { system: input.system }),
      ...(present(input.lifecycle) && { lifecycle: input.lifecycle }),
      source: input.source,
      target: input.target,
      topics,
      placement: {
        nodes: input.placement.nodes,
        ...(input.placement.processesPerNode !== undefined && {
          processesPerNode: input.placement.processesPerNode,
        }),
        ...(input.placement.numStreams !== undefined && {
          numStreams: input.placement.numStreams,
        }),
      },
      ...(present(input.deployTarget) && {
        deploy: { target: input.deployTarget },
      }),
    },
  };
  return entity;
}

/** Every problem with the entity: the domain core's rules plus the metadata it does not check. */
export function checkMirrorMakerEntity(
  entity: MirrorMakerEntity,
): ValidationProblem[] {
  const problems = validateMirrorMakerEntity(entity);
  const { title, description } = entity.metadata;
  if (title !== undefined) {
    const control = controlCharacterProblem(title);
    if (control) problems.push(error('metadata.title', control));
  }
  if (description !== undefined) {
    const index = descriptionControlIndex(description);
    if (index >= 0) {
      const code = description.charCodeAt(index).toString(16).padStart(4, '0');
      problems.push(
        error(
          'metadata.description',
          `contains the control character U+${code} at position ${index}; only line breaks and tabs are accepted`,
        ),
      );
    }
  }
  return problems;
}

/**
 * Serializes the entity so that it reads back as exactly the same object:
 * quoting and escaping are the YAML library's, and the result is parsed
 * again and compared, so no value can add a key or a document.
 */
export function entityToYaml(entity: MirrorMakerEntity): string {
  const text = yaml.stringify(entity, {
    aliasDuplicateObjects: false,
    lineWidth: 0,
  });
  const documents = yaml.parseAllDocuments(text);
  const roundTrip =
    documents.length === 1 &&
    documents[0].errors.length === 0 &&
    isDeepStrictEqual(documents[0].toJS(), JSON.parse(JSON.stringify(entity)));
  if (!roundTrip) {
    throw new InputError(
      'The entity cannot be written as YAML that reads back unchanged; check the values for unusual characters',
    );
  }
  return `---\n${text}`;
}

/**
 * `mirror-maker:entity:render`: writes the `catalog-info.yaml` of a new
 * MirrorMaker deployment, for teams that keep deployments in Git and publish
 * them with the usual publish and register actions. Needs no backend.
 */
export function createRenderEntityAction() {
  return createTemplateAction({
    id: 'mirror-maker:entity:render',
    description:
      'Builds a MirrorMaker entity from the inputs, validates it and writes it as catalog-info.yaml into the workspace',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'metadata.name of the deployment, e.g. dc1-to-dc2: 1 to 63 of [A-Za-z0-9._-]',
            ),
        title: z =>
          z.string().max(200).optional().describe('Display title (one line)'),
        description: z =>
          z
            .string()
            .max(2000)
            .optional()
            .describe('What it replicates, and why'),
        owner: z =>
          z
            .string()
            .describe(
              'Entity ref of the owning team, e.g. group:default/kafka-platform',
            ),
        system: z => z.string().optional().describe('Entity ref of the system'),
        lifecycle: z =>
          z.string().optional().describe('e.g. production, experimental'),
        source: z =>
          z
            .string()
            .describe(
              'Entity ref of the kafka-cluster Resource consumed from, e.g. resource:default/kafka-dc1',
            ),
        target: z =>
          z
            .string()
            .describe(
              'Entity ref of the kafka-cluster Resource produced into, e.g. resource:default/kafka-dc2',
            ),
        topics: z =>
          z
            .object({
              suffix: z
                .string()
                .optional()
                .describe('Replicate every topic ending in .<suffix>'),
              include: z
                .string()
                .optional()
                .describe('A Java regex of the topics to replicate'),
              names: z
                .array(z.string())
                .optional()
                .describe('An explicit list of topics'),
              exclude: z
                .string()
                .optional()
                .describe('A Java regex of topics to leave out'),
            })
            .strict()
            .describe(
              'Which topics to replicate: exactly one of suffix, include and names; exclude narrows it',
            ),
        placement: z =>
          z
            .object({
              nodes: z
                .array(z.string())
                .min(1)
                .describe('Host names of the MirrorMaker nodes'),
              processesPerNode: z
                .number()
                .int()
                .optional()
                .describe('MirrorMaker processes per node (default 1)'),
              numStreams: z
                .number()
                .int()
                .optional()
                .describe('Consumer threads per process (default 1)'),
            })
            .strict()
            .describe('Where the processes run and how many there are'),
        deployTarget: z =>
          z
            .string()
            .optional()
            .describe('spec.deploy.target: local, ssh, or one a module adds'),
        targetPath: z =>
          z
            .string()
            .default('catalog-info.yaml')
            .describe('Where to write the file, relative to the workspace'),
      },
      output: {
        entity: z =>
          z.record(z.any()).describe('The MirrorMaker entity, as written'),
        entityRef: z =>
          z
            .string()
            .describe('Its entity ref, e.g. mirrormaker:default/dc1-to-dc2'),
        targetPath: z =>
          z.string().describe('The written file, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const { targetPath, ...fields } = ctx.input;
      const file = safeChildPath(ctx.workspacePath, targetPath, 'targetPath');
      const entity = buildMirrorMakerEntity(fields);
      const problems = checkMirrorMakerEntity(entity);
      if (hasErrors(problems)) {
        throw new InputError(
          `The MirrorMaker entity is not valid:\n${formatProblems(
            problems.filter(p => p.severity === 'error'),
          )}`,
        );
      }
      for (const p of problems) {
        ctx.logger.warn(`${p.path}: ${p.message}`);
      }
      const text = entityToYaml(entity);
      await writeWorkspaceFile(file, text);
      const entityRef = `${MIRROR_MAKER_KIND.toLowerCase()}:default/${
        entity.metadata.name
      }`;
      ctx.logger.info(`Wrote ${targetPath} for ${entityRef}`);
      ctx.output('entity', JSON.parse(JSON.stringify(entity)));
      ctx.output('entityRef', entityRef);
      ctx.output('targetPath', targetPath);
    },
  });
}
