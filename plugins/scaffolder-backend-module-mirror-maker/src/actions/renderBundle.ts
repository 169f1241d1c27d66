import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  MIRROR_MAKER_KIND,
  normalizeEntityRef,
} from '@mirrormaker/plugin-mirror-maker-common';
import path from 'node:path';
import { callMirrorMaker, MirrorMakerBackendOptions } from '../lib/backend';
import {
  safeChildPath,
  unsafePathProblem,
  writeWorkspaceFile,
} from '../lib/workspace';
import { examples } from './renderBundle.examples';

/** One file of `GET /entities/{kind}/{namespace}/{name}/bundle` and `POST /render`. */
export interface BundleFileResponse {
  path: string;
  node?: string;
  /** Octal, e.g. `0755`. */
  mode: string;
  description: string;
  content: string;
}

/** The Bundle schema of the mirror-maker backend's OpenAPI spec. */
export interface BundleResponse {
  name: string;
  entityRef: string;
  redacted: boolean;
  secretMarker: string;
  files: BundleFileResponse[];
}

const MODE = /^0?[0-7]{3}$/;
const REF =
  /^(?:[A-Za-z0-9][A-Za-z0-9._-]*:)?(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

function bundlePath(entityRef: string): string {
  const [kind, rest] = normalizeEntityRef(
    entityRef,
    MIRROR_MAKER_KIND.toLowerCase(),
  ).split(':');
  const [namespace, name] = rest.split('/');
  return `/entities/${[kind, namespace, name]
    .map(encodeURIComponent)
    .join('/')}/bundle`;
}

/**
 * Checks every file before any is written, so a bad answer leaves the
 * workspace as it was.
 */
function planFiles(
  targetDir: string,
  bundle: BundleResponse,
): { file: string; relative: string; content: string; mode: number }[] {
  if (!Array.isArray(bundle?.files)) {
    throw new Error(
      'The mirror-maker backend answered without a files list; is it a version that serves bundles?',
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const planned = bundle.files.flatMap((f, i) => {
    const where = `files[${i}] ${JSON.stringify(f?.path)}`;
    if (typeof f?.path !== 'string' || typeof f.content !== 'string') {
      problems.push(`${where}: needs a path and a content string`);
      return [];
    }
    const issue = unsafePathProblem(f.path);
    if (issue) {
      problems.push(`${where}: ${issue}`);
      return [];
    }
    const relative = path.posix.normalize(f.path);
    if (seen.has(relative)) {
      problems.push(`${where}: is listed twice`);
      return [];
    }
    seen.add(relative);
    if (typeof f.mode !== 'string' || !MODE.test(f.mode)) {
      problems.push(
        `${where}: mode ${JSON.stringify(
          f.mode,
        )} is not an octal file mode such as 0644`,
      );
      return [];
    }
    let file: string;
    try {
      file = safeChildPath(targetDir, relative, 'path');
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
      return [];
    }
    return [{ file, relative, content: f.content, mode: parseInt(f.mode, 8) }];
  });
  // A file cannot also be a directory of another file.
  for (const f of planned) {
    const parts = f.relative.split('/');
    for (let n = 1; n < parts.length; n++) {
      const dir = parts.slice(0, n).join('/');
      if (seen.has(dir)) {
        problems.push(
          `${JSON.stringify(f.relative)}: ${JSON.stringify(
            dir,
          )} is a file of the bundle, not a directory`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `Refusing to write the bundle; nothing was written:\n${problems.join(
        '\n',
      )}`,
    );
  }
  return planned;
}

/**
 * `mirror-maker:bundle:render`: writes the files the backend renders for a
 * deployment into the workspace, for teams that deploy with GitOps. Secrets
 * come back redacted unless the initiator may read them.
 */
export function createRenderBundleAction(options: MirrorMakerBackendOptions) {
  return createTemplateAction({
    id: 'mirror-maker:bundle:render',
    description:
      'Writes the rendered configuration bundle of a MirrorMaker deployment into the workspace',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .regex(
              REF,
              'must be an entity ref such as mirrormaker:default/dc1-to-dc2',
            )
            .optional()
            .describe(
              'An existing deployment in the catalog, e.g. mirrormaker:default/dc1-to-dc2. Give this or entity',
            ),
        entity: z =>
          z
            .record(z.any())
            .optional()
            .describe(
              'A MirrorMaker entity that need not be in the catalog yet, e.g. the output of mirror-maker:entity:render. Give this or entityRef',
            ),
        targetPath: z =>
          z
            .string()
            .default('bundle')
            .describe(
              'Directory to write the files into, relative to the workspace',
            ),
      },
      output: {
        fileCount: z => z.number().describe('How many files were written'),
        files: z =>
          z.array(z.string()).describe('Their paths, relative to targetPath'),
        targetPath: z =>
          z.string().describe('The directory, relative to the workspace'),
        redacted: z =>
          z
            .boolean()
            .describe('Secrets were replaced by a marker in the written files'),
      },
    },
    async handler(ctx) {
      const { entityRef, entity, targetPath } = ctx.input;
      if ((entityRef === undefined) === (entity === undefined)) {
        throw new InputError(
          'Give exactly one of entityRef (a deployment in the catalog) and entity (a MirrorMaker entity object)',
        );
      }
      const targetDir = safeChildPath(
        ctx.workspacePath,
        targetPath,
        'targetPath',
        { allowBase: true },
      );
      const credentials = await ctx.getInitiatorCredentials();
      const bundle = await callMirrorMaker<BundleResponse>(
        options,
        credentials,
        entityRef !== undefined
          ? { method: 'GET', path: bundlePath(entityRef) }
          : { method: 'POST', path: '/render', body: { entity } },
        ctx.signal,
      );
      const files = planFiles(targetDir, bundle);
      // Rewriting the same files on a retried task is harmless, so no checkpoint.
      for (const f of files) {
        await writeWorkspaceFile(f.file, f.content, f.mode);
      }
      ctx.logger.info(
        `Wrote ${files.length} file(s) of ${
          bundle.entityRef
        } under ${targetPath}${bundle.redacted ? ' (secrets redacted)' : ''}`,
      );
      ctx.output('fileCount', files.length);
      ctx.output(
        'files',
        files.map(f => f.relative),
      );
      ctx.output('targetPath', targetPath);
      ctx.output('redacted', Boolean(bundle.redacted));
    },
  });
}
