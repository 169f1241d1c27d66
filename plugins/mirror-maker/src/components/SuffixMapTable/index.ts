export { SuffixMapTable } from './SuffixMapTable';
export type { SuffixMapTableProps } from './SuffixMapTable';
export { SuffixMapContent } from './SuffixMapContent';
export { suffixTableRows, topicsWithoutSuffix, rowConcerns } from './rows';
export type { SuffixMapFilter, SuffixTableRow, TopicCallout } from './rows';
