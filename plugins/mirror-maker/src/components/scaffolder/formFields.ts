import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { DataCentrePicker, DATA_CENTRE_PICKER_NAME } from './DataCentrePicker';
import {
  TopicsPicker,
  topicsPickerValidation,
  TOPICS_PICKER_NAME,
} from './TopicsPicker';

// The new frontend system types fields through zod schemas; these fields
// describe their values in JSON schema (see plugin.ts), so the props are
// cast rather than declared twice.
type AnyField = Parameters<typeof createFormField>[0]['component'];

/** `MirrorMakerTopicsPicker` for the new frontend system. */
export const topicsFormField = createFormField({
  name: TOPICS_PICKER_NAME,
  component: TopicsPicker as unknown as AnyField,
  validation: topicsPickerValidation as Parameters<
    typeof createFormField
  >[0]['validation'],
});

/** `MirrorMakerDataCentrePicker` for the new frontend system. */
export const dataCentreFormField = createFormField({
  name: DATA_CENTRE_PICKER_NAME,
  component: DataCentrePicker as unknown as AnyField,
});
