import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TextField } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { ClusterStatus, mirrorMakerApiRef } from '../../api';
import { messageOf } from '../DeploymentsView/format';
import { otherField } from './topics';

/** `ui:options` of `MirrorMakerDataCentrePicker`. */
export interface DataCentrePickerUiOptions {
  /** Another field holding a data centre this one must differ from (the target names the source). */
  differentFrom?: string;
}

export const DATA_CENTRE_PICKER_NAME = 'MirrorMakerDataCentrePicker';

export interface DataCentreOption {
  dataCentre: string;
  label: string;
}

/** One option per data centre, with the clusters behind it, sorted by data centre. */
export function dataCentreOptions(
  clusters: ClusterStatus[],
): DataCentreOption[] {
  const byDc = new Map<string, ClusterStatus[]>();
  for (const cluster of clusters) {
    byDc.set(cluster.dataCentre, [
      ...(byDc.get(cluster.dataCentre) ?? []),
      cluster,
    ]);
  }
  return [...byDc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dataCentre, members]) => ({
      dataCentre,
      label: `${dataCentre} (${members
        .map(c => `${c.name}, topics .${c.topicSuffix}`)
        .join('; ')})`,
    }));
}

/**
 * Scaffolder field (value: a data centre): the data centres of the clusters
 * configured in the mirror-maker backend (`GET /clusters`).
 */
export const DataCentrePicker = ({
  formData,
  onChange,
  schema,
  uiSchema,
  rawErrors,
  required,
  disabled,
  idSchema,
  formContext,
}: FieldExtensionComponentProps<string, DataCentrePickerUiOptions>) => {
  const api = useApi(mirrorMakerApiRef);
  const clusters = useAsync(() => api.listClusters(), [api]);
  const options = dataCentreOptions(clusters.value?.items ?? []);
  const differentFrom = uiSchema['ui:options']?.differentFrom;
  const other = differentFrom
    ? otherField(formContext, differentFrom)
    : undefined;

  let help = schema.description;
  if (clusters.loading) help = 'Loading the configured clusters…';
  else if (clusters.error) {
    help = `Could not load the clusters: ${messageOf(clusters.error)}`;
  } else if (options.length === 0) {
    help = 'No Kafka clusters are configured under mirrorMaker.clusters.';
  }

  return (
    <TextField
      id={idSchema.$id}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? 'Data centre'}
      required={required}
      disabled={disabled || clusters.loading}
      error={rawErrors?.length > 0 || Boolean(clusters.error)}
      helperText={[help, ...(rawErrors ?? [])].filter(Boolean).join(' ')}
      value={formData ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'data-testid': `dc-picker-${idSchema.$id}` }}
    >
      <option value="">Choose a data centre</option>
      {options.map(o => (
        <option
          key={o.dataCentre}
          value={o.dataCentre}
          disabled={o.dataCentre === other}
        >
          {o.label}
          {o.dataCentre === other ? ` (chosen as ${differentFrom})` : ''}
        </option>
      ))}
      {formData && !options.some(o => o.dataCentre === formData) && (
        <option value={formData}>{formData} (not configured)</option>
      )}
    </TextField>
  );
};
