import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { EntityBundle, MirrorMakerApi, mirrorMakerApiRef } from '../../api';
import { FilesContent } from './FilesContent';
import { buildTree, languageOf } from './tree';

const entity: Entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: {},
};
const ref = { kind: 'MirrorMaker', namespace: 'default', name: 'dc1-to-dc2' };

const bundle = (over: Partial<EntityBundle> = {}): EntityBundle => ({
  name: 'dc1-to-dc2',
  entityRef: 'mirrormaker:default/dc1-to-dc2',
  redacted: false,
  secretMarker: '<redacted>',
  files: [
    {
      path: 'nodes/mm1.dc2/etc/mirror-maker/mm2.properties',
      node: 'mm1.dc2',
      mode: '0640',
      description: 'MirrorMaker configuration',
      content: 'clusters=dc1,dc2\ndc1.sasl.password=hunter2\n',
    },
    {
      path: 'nodes/mm1.dc2/bin/start.sh',
      node: 'mm1.dc2',
      mode: '0755',
      description: 'Start script',
      content: '#!/bin/sh\nexec connect-mirror-maker.sh\n',
    },
    {
      path: 'nodes/mm2.dc2/etc/mirror-maker/mm2.properties',
      node: 'mm2.dc2',
      mode: '0640',
      description: 'MirrorMaker configuration',
      content: 'clusters=dc1,dc2\n',
    },
    {
      path: 'README.md',
      mode: '0644',
      description: 'How to install',
      content: '# dc1-to-dc2\n',
    },
  ],
  ...over,
});

const render = (api: Partial<MirrorMakerApi>) =>
  renderInTestApp(
    <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
      <FilesContent entity={entity} />
    </TestApiProvider>,
  );

describe('FilesContent', () => {
  it('lists the files as a tree grouped by node', async () => {
    const getBundle = jest.fn(async () => bundle());
    await render({ getBundle });
    expect(await screen.findByText('mm1.dc2 (node)')).toBeInTheDocument();
    expect(screen.getByText('mm2.dc2 (node)')).toBeInTheDocument();
    expect(screen.getAllByText('mm2.properties')).toHaveLength(2);
    expect(screen.getByText('start.sh')).toBeInTheDocument();
    expect(screen.getByText('README.md')).toBeInTheDocument();
    expect(getBundle).toHaveBeenCalledWith(ref);
    expect(screen.queryByText(/Secrets are replaced/)).not.toBeInTheDocument();
  });

  it('shows the content of the selected file', async () => {
    await render({ getBundle: async () => bundle() });
    fireEvent.click(await screen.findByText('start.sh'));
    const preview = await screen.findByTestId('file-preview');
    expect(preview).toHaveTextContent('nodes/mm1.dc2/bin/start.sh');
    expect(preview).toHaveTextContent('Mode 0755');
    await waitFor(() =>
      expect(preview).toHaveTextContent('exec connect-mirror-maker.sh'),
    );
    expect(
      screen.getByRole('button', { name: 'Copy nodes/mm1.dc2/bin/start.sh' }),
    ).toBeInTheDocument();
  });

  it('says why secrets are redacted', async () => {
    await render({ getBundle: async () => bundle({ redacted: true }) });
    expect(
      await screen.findByText(
        /because you lack the permission mirrorMaker\.secrets\.read on mirrormaker:default\/dc1-to-dc2/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('<redacted>')).toBeInTheDocument();
  });

  it('asks for a redacted bundle when secrets are hidden', async () => {
    const getBundle = jest.fn(async (_r: unknown, o?: { redact?: boolean }) =>
      bundle({ redacted: !!o?.redact }),
    );
    await render({ getBundle });
    fireEvent.click(await screen.findByLabelText('Hide secrets'));
    expect(
      await screen.findByText(/because you asked for redaction/),
    ).toBeInTheDocument();
    expect(getBundle).toHaveBeenLastCalledWith(ref, { redact: true });
  });

  it('downloads the archive through a temporary link', async () => {
    const blob = new Blob(['archive'], { type: 'application/gzip' });
    const downloadBundleArchive = jest.fn(async () => blob);
    const createObjectURL = jest.fn(() => 'blob:archive');
    const revokeObjectURL = jest.fn();
    const saved = {
      createObjectURL: URL.createObjectURL,
      revokeObjectURL: URL.revokeObjectURL,
    };
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push(this);
      });
    try {
      await render({ getBundle: async () => bundle(), downloadBundleArchive });
      fireEvent.click(
        await screen.findByRole('button', { name: /Download \.tar\.gz/ }),
      );
      await waitFor(() => expect(clicked).toHaveLength(1));
      expect(downloadBundleArchive).toHaveBeenCalledWith(ref, undefined);
      expect(createObjectURL).toHaveBeenCalledWith(blob);
      expect(clicked[0].download).toBe('dc1-to-dc2.tar.gz');
      expect(clicked[0].getAttribute('href')).toBe('blob:archive');
      expect(clicked[0].isConnected).toBe(false);
      await waitFor(() =>
        expect(revokeObjectURL).toHaveBeenCalledWith('blob:archive'),
      );
    } finally {
      click.mockRestore();
      Object.assign(URL, saved);
    }
  });

  it('shows the backend message when the bundle cannot be read', async () => {
    const body = JSON.stringify({
      error: {
        name: 'NotAllowedError',
        message:
          'You may not read the files of mirrormaker:default/dc1-to-dc2 (permission mirrorMaker.bundle.read)',
      },
      request: { method: 'GET', url: '/bundle' },
      response: { statusCode: 403 },
    });
    const error = await ResponseError.fromResponse({
      ok: false,
      status: 403,
      statusText: 'Forbidden',
      headers: { get: () => 'application/json' },
      text: async () => body,
    } as unknown as Response);
    await render({
      getBundle: async () => {
        throw error;
      },
    });
    expect(
      await screen.findByText(
        'You may not read the files of mirrormaker:default/dc1-to-dc2 (permission mirrorMaker.bundle.read)',
      ),
    ).toBeInTheDocument();
  });

  it('shows an empty state for a bundle without files', async () => {
    await render({ getBundle: async () => bundle({ files: [] }) });
    expect(await screen.findByText('No files')).toBeInTheDocument();
  });
});

describe('buildTree', () => {
  it('nests by path segment, folders first, and marks node folders', () => {
    const tree = buildTree(bundle().files);
    expect(tree.map(n => n.name)).toEqual(['nodes', 'README.md']);
    const nodes = tree[0].children;
    expect(nodes.map(n => [n.name, n.host])).toEqual([
      ['mm1.dc2', 'mm1.dc2'],
      ['mm2.dc2', 'mm2.dc2'],
    ]);
    expect(nodes[0].children.map(n => n.name)).toEqual(['bin', 'etc']);
  });
});

describe('languageOf', () => {
  it.each([
    ['a/mm2.properties', 'ini'],
    ['etc/systemd/mm2@.service', 'ini'],
    ['bin/start.sh', 'bash'],
    ['x.yml', 'yaml'],
    ['x.yaml', 'yaml'],
    ['x.json', 'json'],
    ['README.md', 'text'],
  ])('%s is %s', (path, language) => {
    expect(languageOf(path)).toBe(language);
  });
});
