import { RenderContext } from '../context';
import {
  propertiesHeaderLines,
  propertiesSectionLines,
} from '../kafka/propertiesFile';
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

const FILE_KEY = `${APPENDER}.File`;

/**
 * The log4j configuration of each process: one size-capped rolling file
 * (the seed's daily appender kept every file forever) and quieter client
 * internals. Only the header and the log file name hold the process number,
 * after everything from the spec: the file is checked and escaped once per
 * deployment, and the returned function joins the pieces.
 */
export function prepareLog4j(ctx: RenderContext): (i: number) => string {
  const { logging } = ctx.spec;
  const [intro, ...header] = propertiesHeaderLines([
    `Kafka MirrorMaker 1 deployment ${ctx.ref}: log4j (reload4j) configuration of process`,
    `At most ${logging.maxBackupIndex + 1} files of ${
      logging.maxFileSize
    } each.`,
    GENERATED_NOTICE,
  ]);
  // The log file is `${logDir}/kafka-mirror-maker-${i}.log`: the process
  // number and ".log" need no escaping and cannot complete a "${".
  const lines = propertiesSectionLines([
    {
      title: 'Root logger: a rolling file of bounded size',
      entries: {
        'log4j.rootLogger': 'INFO, mirrorMaker',
        [APPENDER]: 'org.apache.log4j.RollingFileAppender',
        [FILE_KEY]: noSubstitution(
          `${ctx.spec.install.logDir}/kafka-mirror-maker-`,
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
  ]);
  const file = lines.findIndex(line => line.startsWith(`${FILE_KEY}=`));
  const middle = `.\n${[...header, ...lines.slice(0, file + 1)].join('\n')}`;
  const end = `.log${lines
    .slice(file + 1)
    .map(line => `\n${line}`)
    .join('')}\n`;
  return i => `${intro} ${i}${middle}${i}${end}`;
}
