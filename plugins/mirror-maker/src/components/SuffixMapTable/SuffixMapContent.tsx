import type { Entity } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { mirrorMakerApiRef } from '../../api';
import { highlightOf } from '../TopologyGraph/highlight';
import { rowConcerns } from './rows';
import { SuffixMapTable } from './SuffixMapTable';

/**
 * Entity content: the rows of the suffix map that concern the entity (a
 * MirrorMaker: the suffixes it writes; a kafka-cluster Resource: those it
 * owns or receives). Any other entity sees the whole map.
 */
export const SuffixMapContent = ({ entity }: { entity: Entity }) => {
  const api = useApi(mirrorMakerApiRef);
  const { value, loading, error } = useAsync(() => api.getTopology(), [api]);
  const filter = highlightOf(entity);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || !value.suffixMap.some(row => rowConcerns(row, filter))) {
    return (
      <EmptyState
        missing="data"
        title="No suffix concerns this entity"
        description={
          filter?.deploymentRef
            ? 'This deployment copies no data-centre suffix as a whole or in part; check its topics rule and whether its source and target clusters are configured.'
            : 'No configured cluster owns or receives a data-centre suffix here.'
        }
      />
    );
  }
  return (
    <SuffixMapTable
      topology={value}
      filter={filter}
      title={filter ? 'Suffixes concerning this entity' : 'Suffix map'}
    />
  );
};
