import { KeyboardEvent, useId, useState } from 'react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  Box,
  Button,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ANNOTATION_TOPICS,
  validateTopicName,
} from '@mirrormaker/plugin-mirror-maker-common';
import useAsync from 'react-use/esm/useAsync';
import { messageOf } from '../DeploymentsView/format';
import { annotatedTopics, otherField } from './topics';

/** `ui:options` of `MirrorMakerTopicsPicker`. */
export interface TopicsPickerUiOptions {
  /** The field holding the chosen service's entity ref; default `service`. */
  serviceField?: string;
}

export const TOPICS_PICKER_NAME = 'MirrorMakerTopicsPicker';

/**
 * Scaffolder field (value: topic names): the topics the chosen service
 * lists in its `mirrormaker.io/topics` annotation as checkboxes, and a box
 * to add a topic that is not listed.
 */
export const TopicsPicker = ({
  formData,
  onChange,
  schema,
  uiSchema,
  rawErrors,
  required,
  disabled,
  idSchema,
  formContext,
}: FieldExtensionComponentProps<string[], TopicsPickerUiOptions>) => {
  const catalogApi = useApi(catalogApiRef);
  const id = useId();
  const serviceField = uiSchema['ui:options']?.serviceField ?? 'service';
  const service = otherField(formContext, serviceField);
  const entity = useAsync(
    async () =>
      service
        ? catalogApi.getEntityByRef(
            // The entity picker stores full refs; a hand-written `orders` means the component.
            stringifyEntityRef(
              parseEntityRef(service, {
                defaultKind: 'component',
                defaultNamespace: 'default',
              }),
            ),
          )
        : undefined,
    [catalogApi, service],
  );
  const offered = annotatedTopics(entity.value);
  // The form starts an array with `minItems` placeholder entries; they are
  // not topics.
  const selected = (formData ?? []).filter(
    (t): t is string => typeof t === 'string' && t.length > 0,
  );
  const extra = selected.filter(t => !offered.includes(t));

  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string>();

  const toggle = (topic: string, checked: boolean) => {
    const next = checked
      ? [...selected.filter(t => t !== topic), topic]
      : selected.filter(t => t !== topic);
    onChange(next);
  };
  const add = () => {
    const topic = typed.trim();
    const problem = validateTopicName(topic);
    if (problem) {
      setTypedError(problem);
      return;
    }
    setTypedError(undefined);
    setTyped('');
    if (!selected.includes(topic)) onChange([...selected, topic]);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // Enter would submit the step; here it adds the topic.
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  };

  let notice: JSX.Element | null = null;
  if (!service) {
    notice = (
      <Alert severity="info">
        Choose the service first: the topics it lists in its {ANNOTATION_TOPICS}{' '}
        annotation are offered here. You can also type topic names below.
      </Alert>
    );
  } else if (entity.error) {
    notice = (
      <Alert severity="warning">
        Could not load {service} from the catalog: {messageOf(entity.error)}.
        Type the topic names below.
      </Alert>
    );
  } else if (!entity.loading && !entity.value) {
    notice = (
      <Alert severity="warning">
        {service} is not in the catalog. Type the topic names below.
      </Alert>
    );
  } else if (!entity.loading && offered.length === 0) {
    notice = (
      <Alert severity="info">
        {service} lists no topics: it has no {ANNOTATION_TOPICS} annotation
        (comma-separated topic names). Type the topic names below, or add the
        annotation to its catalog-info.yaml.
      </Alert>
    );
  }

  return (
    <FormControl
      component="fieldset"
      required={required}
      error={rawErrors?.length > 0}
      disabled={disabled}
      fullWidth
      margin="normal"
      data-testid={`topics-picker-${idSchema.$id}`}
    >
      <FormLabel component="legend">{schema.title ?? 'Topics'}</FormLabel>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      {entity.loading && service && (
        <Typography variant="body2">
          Loading the topics of {service}…
        </Typography>
      )}
      {notice && <Box my={1}>{notice}</Box>}
      <FormGroup>
        {[...offered, ...extra].map(topic => (
          <FormControlLabel
            key={topic}
            label={topic}
            control={
              <Checkbox
                checked={selected.includes(topic)}
                onChange={e => toggle(topic, e.target.checked)}
                name={topic}
              />
            }
          />
        ))}
      </FormGroup>
      <Box display="flex" alignItems="flex-start" mt={1}>
        <TextField
          id={`${id}-other`}
          label="Another topic"
          size="small"
          value={typed}
          disabled={disabled}
          error={typedError !== undefined}
          helperText={
            typedError ?? 'A topic the service does not list; Enter adds it'
          }
          onChange={e => setTyped(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <Button
          onClick={add}
          disabled={disabled || typed.trim() === ''}
          style={{ marginLeft: 8, marginTop: 4 }}
        >
          Add topic
        </Button>
      </Box>
      {rawErrors?.map(error => (
        <FormHelperText key={error}>{error}</FormHelperText>
      ))}
    </FormControl>
  );
};

/** Every chosen topic must be a legal Kafka topic name. */
export const topicsPickerValidation: CustomFieldValidator<string[]> = (
  topics,
  validation,
) => {
  for (const topic of topics ?? []) {
    const problem = validateTopicName(topic);
    if (problem) validation.addError(`${topic}: ${problem}`);
  }
};
