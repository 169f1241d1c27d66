import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  Bundle,
  formatProblems,
  MIRROR_MAKER_KIND,
  redactBundle,
  renderBundle,
  SECRET_MARKER,
} from '@mirrormaker/plugin-mirror-maker-common';
import { ArchiveFile } from './archive';
import { CatalogDeployments } from './CatalogDeployments';

/** A bundle file as the API lists it. */
export interface ListedFile {
  path: string;
  node?: string;
  mode: string;
  description: string;
  content: string;
}

/** Renders the files of MirrorMaker entities for the bundle routes. */
export class BundleService {
  constructor(private readonly deployments: CatalogDeployments) {}

  async render(
    entity: Entity,
    credentials: BackstageCredentials,
    redact: boolean,
  ): Promise<{ bundle: Bundle; files: ListedFile[]; redacted: boolean }> {
    if (entity.kind !== MIRROR_MAKER_KIND) {
      throw new InputError(
        `kind: bundles are rendered for ${MIRROR_MAKER_KIND} entities only, not ${entity.kind}`,
      );
    }
    const checked = await this.deployments.check(entity, credentials);
    const errors = checked.problems.filter(p => p.severity === 'error');
    if (errors.length > 0 || !checked.source || !checked.target) {
      throw new ConflictError(
        `${checked.ref} cannot be rendered until it is fixed: ${formatProblems(
          errors,
        )}`,
      );
    }
    const rendered = renderBundle({
      entity: checked.entity,
      source: checked.source,
      target: checked.target,
      approvedTopics: checked.approvedTopics,
    });
    const bundle = redact ? redactBundle(rendered) : rendered;
    return { bundle, files: listFiles(bundle), redacted: redact };
  }
}

/** Node files under `nodes/<host>/`, then the deployment's own files. */
export function listFiles(bundle: Bundle): ListedFile[] {
  const mode = (m: number) => `0${m.toString(8)}`;
  return [
    ...bundle.nodes.flatMap(node =>
      node.files.map(f => ({
        path: `nodes/${node.host}/${f.path.replace(/^\/+/, '')}`,
        node: node.host,
        mode: mode(f.mode),
        description: f.description,
        content: f.content,
      })),
    ),
    ...bundle.files.map(f => ({
      path: f.path,
      mode: mode(f.mode),
      description: f.description,
      content: f.content,
    })),
  ];
}

export function archiveFiles(files: ListedFile[]): ArchiveFile[] {
  return files.map(f => ({
    path: f.path,
    mode: parseInt(f.mode, 8),
    content: f.content,
  }));
}

export { SECRET_MARKER };
