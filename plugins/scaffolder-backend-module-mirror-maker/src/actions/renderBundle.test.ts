import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import {
  fakeDiscovery,
  FakeBackend,
  startFakeBackend,
} from '../lib/testServer';
import recorded from './__fixtures__/bundle.json';
import { BundleResponse, createRenderBundleAction } from './renderBundle';

const entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2' },
  spec: {
    owner: 'group:default/kafka-platform',
    source: 'resource:default/kafka-dc1',
    target: 'resource:default/kafka-dc2',
    topics: { suffix: 'dc1' },
    placement: { nodes: ['mm1.dc2.example.com'] },
  },
};

/** Every file under `dir`, relative, sorted. */
function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .map(f => f.split(path.sep).join('/'))
    .sort();
}

describe('mirror-maker:bundle:render', () => {
  let backend: FakeBackend;
  const workspace = createMockDirectory();
  const outside = createMockDirectory();

  beforeAll(async () => {
    backend = await startFakeBackend();
  });
  afterAll(() => backend.close());
  beforeEach(() => {
    backend.requests.length = 0;
    workspace.clear();
    outside.clear();
  });

  const action = () =>
    createRenderBundleAction({
      auth: mockServices.auth(),
      discovery: fakeDiscovery(backend),
    });
  const run = async (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({
      input: { targetPath: 'bundle', ...input } as any,
      workspacePath: workspace.path,
    });
    await action().handler(ctx as any);
    return ctx;
  };

  it('writes every file of an existing deployment with its mode', async () => {
    backend.reply(200, recorded);
    const ctx = await run({ entityRef: 'mirrormaker:default/dc1-to-dc2' });

    expect(backend.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/api/mirror-maker/entities/mirrormaker/default/dc1-to-dc2/bundle',
      }),
    ]);
    expect(backend.requests[0].headers.authorization).toBe(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.user(),
        targetPluginId: 'mirror-maker',
      }),
    );
    const dir = path.join(workspace.path, 'bundle');
    const expected = recorded.files.map(f => f.path).sort();
    expect(listTree(dir)).toEqual(expected);
    for (const f of recorded.files) {
      const file = path.join(dir, f.path);
      expect(fs.readFileSync(file, 'utf8')).toBe(f.content);
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe(
        f.mode.replace(/^0/, ''),
      );
    }
    expect(ctx.output).toHaveBeenCalledWith('fileCount', recorded.files.length);
    expect(ctx.output).toHaveBeenCalledWith(
      'files',
      recorded.files.map(f => f.path),
    );
    expect(ctx.output).toHaveBeenCalledWith('targetPath', 'bundle');
    expect(ctx.output).toHaveBeenCalledWith('redacted', true);
  });

  it('completes a short entity ref', async () => {
    backend.reply(200, recorded);
    await run({ entityRef: 'dc1-to-dc2', targetPath: '.' });
    expect(backend.requests[0].url).toBe(
      '/api/mirror-maker/entities/mirrormaker/default/dc1-to-dc2/bundle',
    );
    expect(listTree(workspace.path)).toHaveLength(recorded.files.length);
  });

  it('renders an entity that is not in the catalog yet', async () => {
    backend.reply(200, recorded);
    await run({ entity, targetPath: 'deploy/dc1-to-dc2' });
    expect(backend.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/api/mirror-maker/render',
        body: { entity },
      }),
    ]);
    expect(
      listTree(path.join(workspace.path, 'deploy/dc1-to-dc2')),
    ).toHaveLength(recorded.files.length);
  });

  it('needs exactly one of entityRef and entity', async () => {
    await expect(run({})).rejects.toThrow(/exactly one of entityRef/);
    await expect(
      run({ entity, entityRef: 'mirrormaker:default/dc1-to-dc2' }),
    ).rejects.toThrow(/exactly one of entityRef/);
    expect(backend.requests).toEqual([]);
  });

  it('refuses a targetPath outside the workspace', async () => {
    for (const targetPath of ['..', '../x', '/tmp/x', 'a/../../x']) {
      await expect(run({ entity, targetPath })).rejects.toThrow(/targetPath/);
    }
    expect(backend.requests).toEqual([]);
  });

  it('refuses a bundle with a path that escapes, and writes nothing of it', async () => {
    const hostile: BundleResponse = {
      ...recorded,
      files: [
        ...recorded.files,
        {
          path: '../../escaped.sh',
          mode: '0755',
          description: '',
          content: 'rm -rf /',
        },
        {
          path: `${outside.path}/absolute.txt`,
          mode: '0644',
          description: '',
          content: 'x',
        },
        {
          path: 'nodes/mm1/../../../up.txt',
          mode: '0644',
          description: '',
          content: 'x',
        },
        { path: 'nul\0.txt', mode: '0644', description: '', content: 'x' },
        { path: 'suid', mode: '04755', description: '', content: 'x' },
        {
          path: `${recorded.files[0].path}/inside`,
          mode: '0644',
          description: '',
          content: 'x',
        },
        {
          path: recorded.files[0].path,
          mode: '0644',
          description: '',
          content: 'duplicate',
        },
      ],
    };
    backend.reply(200, hostile);
    const attempt = run({ entity });
    await expect(attempt).rejects.toThrow(
      /^Refusing to write the bundle; nothing was written:\n/,
    );
    const message = await attempt.catch(e => e.message);
    expect(message).toContain(
      'files[5] "../../escaped.sh": contains a ".." segment',
    );
    expect(message).toContain(
      `files[6] ${JSON.stringify(`${outside.path}/absolute.txt`)}: is absolute`,
    );
    expect(message).toContain(
      'files[7] "nodes/mm1/../../../up.txt": contains a ".." segment',
    );
    expect(message).toContain(
      'files[8] "nul\\u0000.txt": contains a NUL character',
    );
    expect(message).toContain(
      'files[9] "suid": mode "04755" is not an octal file mode',
    );
    expect(message).toContain(
      `files[11] ${JSON.stringify(recorded.files[0].path)}: is listed twice`,
    );
    expect(message).toContain('is a file of the bundle, not a directory');
    expect(listTree(workspace.path)).toEqual([]);
    expect(listTree(outside.path)).toEqual([]);
    expect(fs.existsSync(path.join(workspace.path, '..', 'escaped.sh'))).toBe(
      false,
    );
  });

  it('refuses to write through a symbolic link that leads out of the workspace', async () => {
    fs.mkdirSync(path.join(workspace.path, 'bundle', 'nodes'), {
      recursive: true,
    });
    fs.symlinkSync(
      outside.path,
      path.join(workspace.path, 'bundle', 'nodes', 'mm1.dc2.example.com'),
    );
    backend.reply(200, recorded);
    await expect(run({ entity })).rejects.toThrow(/leads outside/);
    expect(listTree(outside.path)).toEqual([]);
  });

  it('fails with every problem when the backend cannot render the entity', async () => {
    backend.reply(400, {
      error: {
        name: 'InputError',
        message: 'The MirrorMaker entity is not valid',
        problems: [
          {
            path: 'spec.topics',
            message: 'needs one of suffix, include or names',
            severity: 'error',
          },
          {
            path: 'spec.placement.nodes[0]',
            message: '"bad host" is not a host name',
            severity: 'error',
          },
        ],
      },
    });
    await expect(run({ entity })).rejects.toThrow(
      'The MirrorMaker entity is not valid\nspec.topics: needs one of suffix, include or names\nspec.placement.nodes[0]: "bad host" is not a host name',
    );
    expect(listTree(workspace.path)).toEqual([]);
  });

  it('reports a deployment that is not in the catalog', async () => {
    backend.reply(404, {
      error: {
        name: 'NotFoundError',
        message: 'mirrormaker:default/nope not found',
      },
    });
    await expect(
      run({ entityRef: 'mirrormaker:default/nope' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'mirrormaker:default/nope not found',
    });
  });
});
