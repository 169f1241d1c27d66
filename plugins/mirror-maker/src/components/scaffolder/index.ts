export {
  TopicsPicker,
  topicsPickerValidation,
  TOPICS_PICKER_NAME,
} from './TopicsPicker';
export type { TopicsPickerUiOptions } from './TopicsPicker';
export {
  DataCentrePicker,
  dataCentreOptions,
  DATA_CENTRE_PICKER_NAME,
} from './DataCentrePicker';
export type { DataCentrePickerUiOptions } from './DataCentrePicker';
export { annotatedTopics } from './topics';
