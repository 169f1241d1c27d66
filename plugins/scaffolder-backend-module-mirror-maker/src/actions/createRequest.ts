import { RootConfigService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ReplicationRequest,
  ReplicationRequestInput,
} from '@mirrormaker/plugin-mirror-maker-common';
import { createHash } from 'node:crypto';
import { callMirrorMaker, MirrorMakerBackendOptions } from '../lib/backend';
import { examples } from './createRequest.examples';

/** What `mirror-maker:request:create` needs besides the backend. */
export interface CreateRequestActionOptions extends MirrorMakerBackendOptions {
  /** For `app.baseUrl`, where the request's page lives. */
  config: RootConfigService;
}

/** Drops the fields a form left empty, so the backend sees them as absent. */
export function toRequestInput(input: {
  team: string;
  service?: string;
  topics?: string[];
  suffix?: string;
  sourceDataCentre: string;
  targetDataCentre: string;
  reason: string;
  desiredDate?: string;
  newDeployment?: boolean;
}): ReplicationRequestInput {
  const given = (value: string | undefined) =>
    value !== undefined && value.trim() !== '' ? value : undefined;
  return {
    team: input.team,
    ...(given(input.service) && { service: input.service }),
    ...(input.topics !== undefined &&
      input.topics.length > 0 && { topics: input.topics }),
    ...(given(input.suffix) && { suffix: input.suffix }),
    sourceDataCentre: input.sourceDataCentre,
    targetDataCentre: input.targetDataCentre,
    reason: input.reason,
    ...(given(input.desiredDate) && { desiredDate: input.desiredDate }),
    ...(input.newDeployment !== undefined && {
      newDeployment: input.newDeployment,
    }),
  };
}

/** A stable key for the same request body, whatever the order of its keys. */
export function requestCheckpointKey(body: ReplicationRequestInput): string {
  const canonical = JSON.stringify(
    Object.fromEntries(
      Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  );
  const hash = createHash('sha256').update(canonical).digest('hex');
  return `mirror-maker-request-${hash.slice(0, 32)}`;
}

/**
 * `mirror-maker:request:create`: files a replication request as the person
 * who ran the template; the deployment's owners approve or reject it in the
 * mirror-maker plugin.
 */
export function createCreateRequestAction(options: CreateRequestActionOptions) {
  return createTemplateAction({
    id: 'mirror-maker:request:create',
    description:
      'Files a cross-data-centre replication request as the template initiator and outputs its id and URL',
    examples,
    schema: {
      input: {
        team: z =>
          z
            .string()
            .min(1)
            .describe(
              'Group entity ref of the team that needs the topics; the initiator must belong to it',
            ),
        service: z =>
          z
            .string()
            .optional()
            .describe(
              'Component entity ref of the service whose topics these are',
            ),
        topics: z =>
          z
            .array(z.string())
            .optional()
            .describe('Topic names to replicate. Give this or suffix'),
        suffix: z =>
          z
            .string()
            .optional()
            .describe(
              'Every topic ending in .<suffix>; only with newDeployment. Give this or topics',
            ),
        sourceDataCentre: z =>
          z
            .string()
            .min(1)
            .describe('Data centre the topics are written in, e.g. dc1'),
        targetDataCentre: z =>
          z
            .string()
            .min(1)
            .describe('Data centre they must be readable in, e.g. dc2'),
        reason: z =>
          z.string().min(1).max(2000).describe('Why; shown to the approvers'),
        desiredDate: z =>
          z
            .string()
            .optional()
            .describe('The date the team needs it by, YYYY-MM-DD'),
        newDeployment: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Ask for a new deployment when none carries source to target yet',
            ),
      },
      output: {
        id: z => z.string().describe('Id of the request'),
        status: z =>
          z.string().describe('Its status, pending once it is filed'),
        url: z =>
          z.string().describe('Page of the request in the Backstage app'),
      },
    },
    async handler(ctx) {
      const body = toRequestInput(ctx.input);
      const filed = await ctx.checkpoint({
        // A retried task must not file the same request twice.
        key: requestCheckpointKey(body),
        fn: async () => {
          const request = await callMirrorMaker<ReplicationRequest>(
            options,
            await ctx.getInitiatorCredentials(),
            { method: 'POST', path: '/requests', body },
            ctx.signal,
          );
          for (const w of request.warnings ?? []) {
            ctx.logger.warn(`${w.field}: ${w.message}`);
          }
          return { id: request.id, status: request.status };
        },
      });
      const appBaseUrl = options.config
        .getString('app.baseUrl')
        .replace(/\/+$/, '');
      const url = `${appBaseUrl}/mirror-maker/requests/${encodeURIComponent(
        filed.id,
      )}`;
      ctx.logger.info(`Filed replication request ${filed.id}: ${url}`);
      ctx.output('id', filed.id);
      ctx.output('status', filed.status);
      ctx.output('url', url);
    },
  });
}
