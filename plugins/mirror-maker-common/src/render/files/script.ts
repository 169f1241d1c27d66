import { RenderContext } from '../context';
import { commentText } from '../escape/comment';
import { fileUrl } from '../escape/fileUrl';
import { shellQuote } from '../escape/shell';
import { GENERATED_NOTICE } from './header';

/**
 * The start script of process `i`, split around the host: runs `kafka.tools.MirrorMaker` in the
 * foreground with its own JMX port (loopback only), exporter agent, log4j
 * file and producer file. Every value from the spec is one quoted shell word.
 * `KAFKA_HOME` and `JAVA` from the environment win over the rendered defaults.
 */
/**
 * Shell words and lines the same for every process of a deployment, filled
 * in by the first process's script at the point where it checks them (so the
 * first error thrown is unchanged) and reused by the others.
 */
interface SharedWords {
  xms?: string;
  xmx?: string;
  logsDir?: string;
  consumerConfig?: string;
  include?: string;
  kafkaHome?: string;
  javaBin?: string;
}

function scriptParts(
  ctx: RenderContext,
  i: number,
  shared: SharedWords,
): [string, string] {
  const { install, jvm, placement, monitoring } = ctx.spec;
  const { paths } = ctx;
  const jmxPort = ctx.jmxPort(i);
  const javaOptions = [
    (shared.xms ??= shellQuote(`-Xms${jvm.heap}`, 'spec.jvm.heap')),
    (shared.xmx ??= shellQuote(`-Xmx${jvm.heap}`, 'spec.jvm.heap')),
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dcom.sun.management.jmxremote.port=${jmxPort}`,
    `-Dcom.sun.management.jmxremote.rmi.port=${jmxPort}`,
    '-Dcom.sun.management.jmxremote.host=127.0.0.1',
    '-Djava.rmi.server.hostname=127.0.0.1',
    '-Dcom.sun.management.jmxremote.authenticate=false',
    '-Dcom.sun.management.jmxremote.ssl=false',
  ];
  if (monitoring.prometheus.enabled) {
    // The 1.0.1 agent argument is [host:]port:config; binding to loopback
    // keeps the metrics off the network.
    javaOptions.push(
      shellQuote(
        `-javaagent:${install.jmxExporterJar}=127.0.0.1:${ctx.exporterPort(
          i,
        )}:${paths.exporterConfig(i)}`,
        'spec.install.jmxExporterJar',
      ),
    );
  }
  javaOptions.push(
    shellQuote(
      `-Dlog4j.configuration=${fileUrl(
        paths.log4jConfig(i),
        'spec.install.configDir',
      )}`,
      'spec.install.configDir',
    ),
    (shared.logsDir ??= shellQuote(
      `-Dkafka.logs.dir=${install.logDir}`,
      'spec.install.logDir',
    )),
    '-cp "$KAFKA_HOME/libs/*"',
    'kafka.tools.MirrorMaker',
  );
  const mirrorMakerOptions = [
    (shared.consumerConfig ??= `--consumer.config ${shellQuote(
      paths.consumerConfig,
      'spec.install.configDir',
    )}`),
    `--producer.config ${shellQuote(
      paths.producerConfig(i),
      'spec.install.configDir',
    )}`,
    (shared.include ??= `--include ${shellQuote(ctx.include, 'spec.topics')}`),
    `--num.streams ${placement.numStreams}`,
    `--offset.commit.interval.ms ${ctx.spec.offsetCommitIntervalMs}`,
    `--abort.on.send.failure ${ctx.spec.abortOnSendFailure ? 'true' : 'false'}`,
    '"$@"',
  ];
  const command = ['exec "$JAVA"', ...javaOptions, ...mirrorMakerOptions];
  const intro = commentText(
    `# Kafka MirrorMaker 1 deployment ${ctx.ref}: process ${i} of ${placement.processesPerNode} on`,
    'metadata.name',
  );
  return [
    `#!/usr/bin/env bash\n${intro} `,
    `.\n${[
      `# Started by systemd unit ${ctx.unitName(
        i,
      )}.service; arguments given to this script are passed on to MirrorMaker.`,
      `# ${GENERATED_NOTICE}`,
      'set -euo pipefail',
      '',
      (shared.kafkaHome ??= `default_kafka_home=${shellQuote(
        install.kafkaHome,
        'spec.install.kafkaHome',
      )}`),
      (shared.javaBin ??= `default_java=${shellQuote(
        install.javaBin,
        'spec.install.javaBin',
      )}`),
      'KAFKA_HOME="${KAFKA_HOME:-$default_kafka_home}"',
      'JAVA="${JAVA:-$default_java}"',
      '',
      command.map((part, k) => (k === 0 ? part : `  ${part}`)).join(' \\\n'),
      '',
    ].join('\n')}`,
  ];
}

/**
 * The start scripts of the processes, escaped once per deployment: the
 * returned function gives the script of process `i` on `host` (a checked
 * host name or address, which only the header comment holds).
 */
export function prepareScript(
  ctx: RenderContext,
): (host: string, i: number) => string {
  const shared: SharedWords = {};
  const parts = ctx.processes.map(i => scriptParts(ctx, i, shared));
  return (host, i) => parts[i - 1][0] + host + parts[i - 1][1];
}
