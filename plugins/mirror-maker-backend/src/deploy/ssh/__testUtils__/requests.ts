import {
  MirrorMakerSpec,
  renderBundle,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  dc1,
  dc2,
  exampleEntity,
} from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import { DeployRequest } from '@mirrormaker/plugin-mirror-maker-node';

export const NODE = 'mm1.dc2.example.com';

/**
 * A rendered request of the example deployment on one node with two
 * processes, every install path under `root` (so nothing lands in /etc or
 * /opt but the unit, which direct mode does not upload).
 */
export function testRequest(
  root: string,
  spec: Partial<MirrorMakerSpec> = {},
  revision = 1,
): DeployRequest {
  const entity = exampleEntity({
    placement: { nodes: [NODE], processesPerNode: 2 },
    install: {
      kafkaHome: `${root}/kafka`,
      configDir: `${root}/config`,
      binDir: `${root}/bin`,
      logDir: `${root}/logs`,
      jmxExporterJar: `${root}/agents/jmx_prometheus_javaagent.jar`,
    },
    ...spec,
  });
  const input = { entity, source: dc1, target: dc2 };
  return {
    deploymentRef: `mirrormaker:default/${entity.metadata.name}`,
    revision: { id: `revision-${revision}`, number: revision },
    input,
    bundle: renderBundle(input),
  };
}

/** The request with the start script of every process replaced by `script`. */
export function withScript(
  request: DeployRequest,
  script: string,
): DeployRequest {
  return {
    ...request,
    bundle: {
      ...request.bundle,
      nodes: request.bundle.nodes.map(node => ({
        ...node,
        files: node.files.map(f =>
          /\/kafka-mirror-maker-\d+\.sh$/.test(f.path)
            ? { ...f, content: script }
            : f,
        ),
      })),
    },
  };
}
