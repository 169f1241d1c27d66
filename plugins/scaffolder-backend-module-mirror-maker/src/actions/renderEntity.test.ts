import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { validateMirrorMakerEntity } from '@mirrormaker/plugin-mirror-maker-common';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createRenderEntityAction } from './renderEntity';

const base = {
  name: 'dc1-to-dc2',
  owner: 'group:default/kafka-platform',
  source: 'resource:default/kafka-dc1',
  target: 'resource:default/kafka-dc2',
  topics: { suffix: 'dc1' },
  placement: { nodes: ['mm1.dc2.example.com'], processesPerNode: 2 },
};

describe('mirror-maker:entity:render', () => {
  const action = createRenderEntityAction();
  const dir = createMockDirectory();

  beforeEach(() => dir.clear());

  const run = async (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({
      input: { targetPath: 'catalog-info.yaml', ...input } as any,
      workspacePath: dir.path,
    });
    await action.handler(ctx as any);
    return ctx;
  };
  const readBack = (file = 'catalog-info.yaml') =>
    yaml.parseAllDocuments(fs.readFileSync(path.join(dir.path, file), 'utf8'));

  it('writes a valid entity and outputs it with its ref', async () => {
    const ctx = await run({
      ...base,
      title: 'dc1 to dc2',
      description: 'Runs in dc2',
      system: 'replication',
      lifecycle: 'production',
      deployTarget: 'ssh',
      // What an empty optional form field arrives as.
      topics: { suffix: 'dc1', include: '', names: [] },
    });
    const expected = {
      apiVersion: 'mirrormaker.io/v1alpha1',
      kind: 'MirrorMaker',
      metadata: {
        name: 'dc1-to-dc2',
        title: 'dc1 to dc2',
        description: 'Runs in dc2',
      },
      spec: {
        owner: 'group:default/kafka-platform',
        system: 'replication',
        lifecycle: 'production',
        source: 'resource:default/kafka-dc1',
        target: 'resource:default/kafka-dc2',
        topics: { suffix: 'dc1' },
        placement: { nodes: ['mm1.dc2.example.com'], processesPerNode: 2 },
        deploy: { target: 'ssh' },
      },
    };
    const docs = readBack();
    expect(docs).toHaveLength(1);
    expect(docs[0].toJS()).toEqual(expected);
    expect(validateMirrorMakerEntity(expected)).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('entity', expected);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'mirrormaker:default/dc1-to-dc2',
    );
    expect(ctx.output).toHaveBeenCalledWith('targetPath', 'catalog-info.yaml');
  });

  it('writes to a sub-directory of the workspace', async () => {
    await run({
      ...base,
      targetPath: 'deployments/dc1-to-dc2/catalog-info.yaml',
    });
    expect(
      readBack('deployments/dc1-to-dc2/catalog-info.yaml')[0].toJS().metadata
        .name,
    ).toBe('dc1-to-dc2');
  });

  it('lists every problem with its path and writes nothing', async () => {
    const attempt = run({
      ...base,
      name: 'dc1 to dc2',
      topics: { suffix: 'dc1', include: '.*dc1' },
      placement: { nodes: ['mm1.dc2.example.com', 'bad host'] },
    });
    await expect(attempt).rejects.toThrow(
      /^The MirrorMaker entity is not valid:\n/,
    );
    await expect(attempt).rejects.toThrow(
      /^metadata\.name: "dc1 to dc2" is not accepted/m,
    );
    await expect(attempt).rejects.toThrow(
      /^spec\.topics: sets suffix and include/m,
    );
    await expect(attempt).rejects.toThrow(/^spec\.placement\.nodes\[1\]: /m);
    expect(fs.readdirSync(dir.path)).toEqual([]);
  });

  it('refuses a targetPath outside the workspace', async () => {
    for (const targetPath of [
      '../catalog-info.yaml',
      '/etc/catalog-info.yaml',
      'a/../../b.yaml',
      'x\0.yaml',
      '.',
    ]) {
      await expect(run({ ...base, targetPath })).rejects.toThrow(/targetPath/);
    }
    expect(fs.readdirSync(dir.path)).toEqual([]);
  });

  it('refuses to write through a symbolic link left in the workspace', async () => {
    const outside = createMockDirectory();
    fs.symlinkSync(outside.path, path.join(dir.path, 'linked'));
    await expect(
      run({ ...base, targetPath: 'linked/catalog-info.yaml' }),
    ).rejects.toThrow(/targetPath "linked\/catalog-info.yaml" leads outside/);
    expect(fs.readdirSync(outside.path)).toEqual([]);
  });

  describe('hostile input', () => {
    it('rejects line breaks, quotes and YAML syntax where the kind does not accept them', async () => {
      const cases: Record<string, unknown>[] = [
        { name: 'dc1\nkind: Group' },
        { name: '"dc1"' },
        { name: '---' },
        { name: '&anchor' },
        { owner: 'group:default/x\nspec: {}' },
        { source: '*alias' },
        { lifecycle: 'production\n---\nkind: Group' },
        { title: 'two\nlines' },
        { description: 'bell \u0007' },
        { description: 'line\u2028separator' },
        { placement: { nodes: ['mm1.example.com\n- evil'] } },
        { topics: { names: ['a.dc1', 'b.dc1\n  - c.dc1'] } },
        { deployTarget: 'local\n  options: {x: 1}' },
      ];
      for (const change of cases) {
        await expect(run({ ...base, ...change })).rejects.toThrow(
          /^The MirrorMaker entity is not valid:\n/,
        );
      }
      expect(fs.readdirSync(dir.path)).toEqual([]);
    });

    it('escapes free text so the file reads back as exactly the entity', async () => {
      const description = [
        'multi',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Group',
        '...',
        'it\'s "quoted" # not a comment',
        '&anchor *alias <<: *merge',
        '{ flow: [x] }',
        '  indented: true',
        '\ttab',
        '',
      ].join('\n');
      const title = '--- &a *a "q" \'s\' #c: {x} [y] | > % @ `';
      const ctx = await run({
        ...base,
        title,
        description,
        topics: { include: '.*\\.dc1$', exclude: '(secret|"x"|#).*' },
      });
      const docs = readBack();
      expect(docs).toHaveLength(1);
      expect(docs[0].errors).toEqual([]);
      const [[, entity]] = (ctx.output as jest.Mock).mock.calls.filter(
        ([name]) => name === 'entity',
      );
      expect(docs[0].toJS()).toEqual(entity);
      expect(entity.metadata).toEqual({
        name: 'dc1-to-dc2',
        title,
        description,
      });
      expect(entity.spec.topics).toEqual({
        include: '.*\\.dc1$',
        exclude: '(secret|"x"|#).*',
      });
    });

    it('keeps text that looks like a boolean or a number a string', async () => {
      await run({ ...base, lifecycle: 'no', system: 'on', title: '0o17' });
      const entity = readBack()[0].toJS();
      expect(entity.spec.lifecycle).toBe('no');
      expect(entity.spec.system).toBe('on');
      expect(entity.metadata.title).toBe('0o17');
    });
  });
});
