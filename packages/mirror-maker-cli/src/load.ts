import * as fs from 'fs';
import {
  checkDeployment,
  CheckedDeployment as CommonCheckedDeployment,
  EntityLike,
  formatProblems,
  KafkaClusterConfig,
  MIRROR_MAKER_KIND,
  parseKafkaClusters,
  ValidationProblem,
} from '@mirrormaker/plugin-mirror-maker-common';
import { parseAllDocuments } from 'yaml';

/** A problem tied to a file (and an entity in it, if any). */
export interface FileProblem {
  file: string;
  entity?: string;
  problem: ValidationProblem;
}

export interface LoadedEntity {
  file: string;
  entity: EntityLike;
}

function fileError(
  file: string,
  message: string,
  entity?: string,
): FileProblem {
  return {
    file,
    entity,
    problem: { path: '(file)', message, severity: 'error' },
  };
}

/** Reads catalog YAML files (several documents each); YAML errors carry line numbers. */
export function loadCatalogFiles(files: string[]): {
  entities: LoadedEntity[];
  problems: FileProblem[];
} {
  const entities: LoadedEntity[] = [];
  const problems: FileProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      problems.push(fileError(file, `cannot be read: ${(e as Error).message}`));
      continue;
    }
    for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
      if ('errors' in doc && doc.errors.length > 0) {
        for (const err of doc.errors) {
          const line = err.linePos?.[0];
          problems.push(
            fileError(
              file,
              `YAML error${
                line ? ` at line ${line.line}, column ${line.col}` : ''
              }: ${err.message.split('\n')[0]}`,
            ),
          );
        }
        continue;
      }
      const value = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) continue;
      const e = value as EntityLike;
      if (
        typeof e !== 'object' ||
        typeof e.kind !== 'string' ||
        typeof e.metadata?.name !== 'string'
      ) {
        problems.push(
          fileError(
            file,
            'holds a document that is not a catalog entity (needs kind and metadata.name)',
          ),
        );
        continue;
      }
      entities.push({ file, entity: e });
    }
  }
  return { entities, problems };
}

/** Replaces `${VAR}` with the environment's value, as Backstage config does. */
function substitute(
  value: unknown,
  env: NodeJS.ProcessEnv,
  missing: Set<string>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (_, name: string) => {
        const v = env[name];
        if (v === undefined) missing.add(name);
        return v ?? '';
      },
    );
  }
  if (Array.isArray(value)) return value.map(v => substitute(v, env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, env, missing)]),
    );
  }
  return value;
}

/** Reads `mirrorMaker.clusters` from app-config files (later files win per cluster). */
export function loadClusters(
  configFiles: string[],
  env: NodeJS.ProcessEnv = process.env,
): { clusters: KafkaClusterConfig[]; problems: FileProblem[] } {
  const merged: Record<string, unknown> = {};
  const problems: FileProblem[] = [];
  for (const file of configFiles) {
    let config: any;
    try {
      const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
      const doc = Array.isArray(docs) ? docs[0] : docs;
      if (doc && 'errors' in doc && doc.errors.length > 0) {
        problems.push(
          fileError(
            file,
            `YAML error: ${doc.errors[0].message.split('\n')[0]}`,
          ),
        );
        continue;
      }
      config = doc?.toJS() ?? {};
    } catch (e) {
      problems.push(fileError(file, `cannot be read: ${(e as Error).message}`));
      continue;
    }
    const missing = new Set<string>();
    const clusters = substitute(
      config?.mirrorMaker?.clusters ?? {},
      env,
      missing,
    );
    for (const name of missing) {
      problems.push(
        fileError(
          file,
          `uses \${${name}}, which is not set in the environment`,
        ),
      );
    }
    Object.assign(merged, clusters);
  }
  const parsed = parseKafkaClusters(merged);
  for (const problem of parsed.problems) {
    problems.push({ file: configFiles.join(', ') || '(config)', problem });
  }
  return { clusters: parsed.clusters, problems };
}

/** A checked deployment and the file it came from. */
export interface CheckedDeployment extends CommonCheckedDeployment {
  file: string;
}

export function checkDeployments(
  entities: LoadedEntity[],
  clusters: KafkaClusterConfig[],
): CheckedDeployment[] {
  const all = entities.map(e => e.entity);
  return entities
    .filter(e => e.entity.kind === MIRROR_MAKER_KIND)
    .map(({ file, entity }) => ({
      file,
      ...checkDeployment(
        entity,
        all,
        clusters,
        '; pass the app-config with --config',
      ),
    }));
}

/** `file: MirrorMaker name: path: message`, one per line. */
export function formatFileProblems(problems: FileProblem[]): string {
  return problems
    .map(p => {
      const where = p.entity ? `${p.file}: MirrorMaker ${p.entity}` : p.file;
      const text = formatProblems([p.problem]);
      return `${where}: ${text.replace(/^\(file\): /, '')}`;
    })
    .join('\n');
}

/**
 * Reads the catalog files and the clusters and checks every deployment: the
 * one pipeline behind validate, render and topology.
 */
export function loadAndCheck(
  files: string[],
  configFiles: string[],
): {
  config: ReturnType<typeof loadClusters>;
  deployments: CheckedDeployment[];
  loadProblems: FileProblem[];
  problems: FileProblem[];
} {
  const catalog = loadCatalogFiles(files);
  const config = loadClusters(configFiles);
  const deployments = checkDeployments(catalog.entities, config.clusters);
  const loadProblems = [...catalog.problems, ...config.problems];
  const problems = [
    ...loadProblems,
    ...deployments.flatMap(d =>
      d.problems.map(problem => ({
        file: d.file,
        entity: d.entity.metadata.name,
        problem,
      })),
    ),
  ];
  return { config, deployments, loadProblems, problems };
}
