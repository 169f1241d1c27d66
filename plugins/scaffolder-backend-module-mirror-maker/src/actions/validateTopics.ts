import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  topicSuffix,
  validateTopicName,
} from '@mirrormaker/plugin-mirror-maker-common';
import { examples } from './validateTopics.examples';

/**
 * `mirror-maker:topics:validate`: fails a template early, with every problem
 * listed, when a topic name is illegal or lacks the data centre's suffix.
 */
export function createValidateTopicsAction() {
  return createTemplateAction({
    id: 'mirror-maker:topics:validate',
    description:
      'Checks Kafka topic names and that each ends with the given data-centre suffix',
    examples,
    schema: {
      input: {
        topics: z =>
          z.array(z.string()).min(1).describe('Topic names to check'),
        suffix: z =>
          z
            .string()
            .regex(/^[a-zA-Z0-9_-]+$/)
            .optional()
            .describe('Data-centre suffix every topic must end with, e.g. dc1'),
      },
      output: {
        topics: z =>
          z.array(z.string()).describe('The topics, sorted and de-duplicated'),
      },
    },
    async handler(ctx) {
      const { topics, suffix } = ctx.input;
      const problems: string[] = [];
      topics.forEach((topic, i) => {
        const error = validateTopicName(topic);
        if (error) {
          problems.push(`topics[${i}] ${JSON.stringify(topic)}: ${error}`);
        } else if (suffix !== undefined && topicSuffix(topic) !== suffix) {
          problems.push(
            `topics[${i}] ${JSON.stringify(
              topic,
            )}: must end with ".${suffix}", the source data centre's suffix`,
          );
        }
      });
      if (problems.length > 0) {
        throw new InputError(`Invalid topics:\n${problems.join('\n')}`);
      }
      const normalized = [...new Set(topics)].sort();
      ctx.logger.info(`${normalized.length} topic(s) valid`);
      ctx.output('topics', normalized);
    },
  });
}
