import { RenderContext } from '../context';
import { renderProperties } from '../kafka/propertiesFile';
import { GENERATED_NOTICE } from './header';

const APPENDER = 'log4j.appender.mirrorMaker';

/** log4j (reload4j) substitutes `${...}` in every value, with no way to escape it. */
function noSubstitution(value: string, field: string): string {
  if (value.includes('${')) {
    throw new Error(
      `${field} contains "\${", which log4j would substitute as a variable; remove it`,
    );
  }
  return value;
}

/**
 * The log4j configuration of process `i`: one size-capped rolling file (the
 * seed's daily appender kept every file forever) and quieter client internals.
 */
export function renderLog4j(ctx: RenderContext, i: number): string {
  const { logging } = ctx.spec;
  return renderProperties(
    [
      `Kafka MirrorMaker 1 deployment ${ctx.ref}: log4j (reload4j) configuration of process ${i}.`,
      `At most ${logging.maxBackupIndex + 1} files of ${
        logging.maxFileSize
      } each.`,
      GENERATED_NOTICE,
    ],
    [
      {
        title: 'Root logger: a rolling file of bounded size',
        entries: {
          'log4j.rootLogger': 'INFO, mirrorMaker',
          [APPENDER]: 'org.apache.log4j.RollingFileAppender',
          [`${APPENDER}.File`]: noSubstitution(
            ctx.paths.logFile(i),
            'spec.install.logDir',
          ),
          [`${APPENDER}.MaxFileSize`]: logging.maxFileSize,
          [`${APPENDER}.MaxBackupIndex`]: String(logging.maxBackupIndex),
          [`${APPENDER}.Append`]: 'true',
          [`${APPENDER}.layout`]: 'org.apache.log4j.PatternLayout',
          [`${APPENDER}.layout.ConversionPattern`]: '[%d] %p %m (%c)%n',
        },
      },
      {
        title: 'Quieter client internals (fetch and rebalance chatter)',
        entries: {
          'log4j.logger.org.apache.kafka.clients.consumer.internals': 'WARN',
          'log4j.logger.org.apache.kafka.clients.producer.internals': 'WARN',
          'log4j.logger.org.apache.kafka.common.metrics': 'WARN',
          'log4j.logger.org.apache.kafka.common.utils.AppInfoParser': 'WARN',
        },
      },
    ],
  );
}
