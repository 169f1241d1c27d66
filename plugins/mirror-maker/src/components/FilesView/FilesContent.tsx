import { useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MIRROR_MAKER_KIND } from '@mirrormaker/plugin-mirror-maker-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { mirrorMakerApiRef } from '../../api';
import { messageOf } from '../DeploymentsView/format';
import { BundleFilesView } from './FilesView';
import { saveBlob } from './tree';

/** Entity content: the files a MirrorMaker renders to, as a tree with previews. */
export const FilesContent = ({ entity }: { entity: Entity }) => {
  const api = useApi(mirrorMakerApiRef);
  const ref = getCompoundEntityRef(entity);
  const entityRef = stringifyEntityRef(entity);
  const isMirrorMaker =
    entity.kind.toLowerCase() === MIRROR_MAKER_KIND.toLowerCase();
  const [redact, setRedact] = useState(false);

  const bundle = useAsync(
    async () => {
      if (!isMirrorMaker) return undefined;
      return redact ? api.getBundle(ref, { redact: true }) : api.getBundle(ref);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, isMirrorMaker, redact],
  );
  const [download, startDownload] = useAsyncFn(
    async (name: string) => {
      const blob = await api.downloadBundleArchive(
        ref,
        redact ? { redact: true } : undefined,
      );
      saveBlob(blob, `${name}.tar.gz`);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, redact],
  );

  if (!isMirrorMaker) {
    return (
      <EmptyState
        missing="field"
        title="Not a MirrorMaker"
        description={`Files are rendered for MirrorMaker entities; ${entityRef} is a ${entity.kind}.`}
      />
    );
  }
  if (bundle.loading) return <Progress />;
  if (bundle.error) {
    return (
      <ResponseErrorPanel
        title={messageOf(bundle.error)}
        error={bundle.error}
      />
    );
  }
  if (!bundle.value) return null;
  if (bundle.value.files.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No files"
        description={`The bundle of ${entityRef} has no files; check its placement (nodes and processes per node).`}
      />
    );
  }
  const value = bundle.value;
  return (
    <BundleFilesView
      bundle={value}
      redactRequested={redact}
      onRedactChange={setRedact}
      onDownload={() => startDownload(value.name)}
      downloading={download.loading}
      downloadError={download.error ? messageOf(download.error) : undefined}
    />
  );
};
