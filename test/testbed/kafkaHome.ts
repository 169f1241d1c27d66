import * as fs from 'fs';
import * as path from 'path';

/** Environment variable that overrides the Kafka runtime location. */
export const KAFKA_HOME_ENV = 'MIRROR_MAKER_KAFKA_HOME';

/** Default Kafka runtime: `<repo>/test/kafka-runtime`, filled by `npm run fetch:kafka`. */
export const DEFAULT_KAFKA_HOME = path.resolve(
  __dirname,
  '..',
  'kafka-runtime',
);

/**
 * Resolves the Kafka runtime directory (a folder with `libs/*.jar`, like a
 * KAFKA_HOME). Precedence: explicit argument, `MIRROR_MAKER_KAFKA_HOME`,
 * `<repo>/test/kafka-runtime`. Throws when the runtime has not been fetched.
 */
export function resolveKafkaHome(kafkaHome?: string): string {
  const home = path.resolve(
    kafkaHome || process.env[KAFKA_HOME_ENV] || DEFAULT_KAFKA_HOME,
  );
  const libs = path.join(home, 'libs');
  let jars: string[] = [];
  try {
    jars = fs.readdirSync(libs).filter(name => name.endsWith('.jar'));
  } catch {
    // handled below
  }
  if (!jars.some(name => /^kafka_2\.\d+-.*\.jar$/.test(name))) {
    throw new Error(
      `Kafka runtime not found: ${libs} has no Kafka jars. ` +
        'Run `npm run fetch:kafka` (needs Java and Maven) or point ' +
        `${KAFKA_HOME_ENV} at a Kafka installation.`,
    );
  }
  return home;
}

/** Path of the Prometheus JMX exporter agent jar fetched into `<home>/agents`, if any. */
export function findJmxExporterAgent(kafkaHome?: string): string | undefined {
  const agents = path.join(resolveKafkaHome(kafkaHome), 'agents');
  try {
    const jar = fs
      .readdirSync(agents)
      .find(
        name =>
          name.startsWith('jmx_prometheus_javaagent') && name.endsWith('.jar'),
      );
    return jar ? path.join(agents, jar) : undefined;
  } catch {
    return undefined;
  }
}
