import { placedFiles } from './__testUtils__/bundleFiles';
import { seedInput, twoDcInput } from './__testUtils__/inputs';
import { renderBundle } from './bundle';
import { RenderInput } from './types';
import { MirrorMakerSpec } from '../kind/types';

/** twoDcInput with `change` applied to a deep copy of its spec. */
function withSpec(change: (spec: MirrorMakerSpec) => void): RenderInput {
  const input = structuredClone(twoDcInput);
  change(input.entity.spec);
  return input;
}

describe('renderBundle', () => {
  it('applies the defaults when the spec leaves fields out', () => {
    const input = structuredClone(twoDcInput);
    input.entity.spec = {
      owner: 'group:default/team',
      source: 'resource:default/kafka-dc1',
      target: 'resource:default/kafka-dc2',
      topics: { suffix: 'dc1' },
      placement: { nodes: ['mm1'] },
    };
    const bundle = renderBundle(input);
    const paths = bundle.nodes[0].files.map(f => f.path);
    expect(paths).toEqual([
      '/etc/kafka-mirror-maker/dc1-to-dc2/kafka-mirror-maker-consumer.properties',
      '/etc/kafka-mirror-maker/dc1-to-dc2/kafka-mirror-maker-producer-1.properties',
      '/etc/kafka-mirror-maker/dc1-to-dc2/kafka-mirror-log4j-1.properties',
      '/etc/kafka-mirror-maker/dc1-to-dc2/jmx-exporter-1.yml',
      '/opt/kafka-mirror-maker/dc1-to-dc2/bin/kafka-mirror-maker-1.sh',
      '/etc/systemd/system/kafka-mirror-maker-dc1-to-dc2-1.service',
      '/etc/kafka-mirror-maker/dc1-to-dc2/prometheus-scrape.yml',
    ]);
    const script = bundle.nodes[0].files.find(f =>
      f.path.endsWith('.sh'),
    )!.content;
    expect(script).toContain('default_kafka_home=/opt/kafka\n');
    expect(script).toContain('-Xms1G');
    expect(script).toContain('-Dcom.sun.management.jmxremote.port=9981');
    expect(script).toContain('=127.0.0.1:9991:');
    expect(script).toContain(
      '/opt/jmx-exporter/jmx_prometheus_javaagent-1.0.1.jar',
    );
    expect(script).toContain('--num.streams 1');
    expect(script).toContain('--offset.commit.interval.ms 60000');
    expect(script).toContain('--abort.on.send.failure true');
    expect(script).not.toContain('--whitelist');
    const consumer = bundle.nodes[0].files[0].content;
    expect(consumer).toContain('group.id=mirror-maker-dc1-to-dc2\n');
    expect(bundle.files.map(f => f.path)).toEqual([
      'prometheus/alerts.yml',
      'ansible/inventory.ini',
      'ansible/group_vars/kafka-mirror-maker.yml',
      'README.md',
    ]);
    const log4j = bundle.nodes[0].files[2].content;
    expect(log4j).toContain('MaxFileSize=100MB\n');
    expect(log4j).toContain('MaxBackupIndex=10\n');
    expect(log4j).toContain(
      'File=/var/log/kafka-mirror-maker/dc1-to-dc2/kafka-mirror-maker-1.log\n',
    );
  });

  it('leaves out the exporter when Prometheus is off, and New Relic unless on', () => {
    const bundle = renderBundle(
      withSpec(spec => (spec.monitoring = { prometheus: { enabled: false } })),
    );
    const files = placedFiles(bundle);
    expect(
      files.filter(f => /jmx-exporter|prometheus|newrelic/.test(f.relative)),
    ).toEqual([]);
    expect(files.find(f => f.path.endsWith('.sh'))!.content).not.toContain(
      '-javaagent',
    );
  });

  it('never puts the topic pattern into a systemd unit', () => {
    const files = placedFiles(renderBundle(seedInput));
    for (const unit of files.filter(f => f.path.endsWith('.service'))) {
      expect(unit.content).not.toContain('kafka-perf-test');
      expect(unit.content).toMatch(
        /^ExecStart=\/bin\/bash "\/opt\/kafka-mirror-maker\/development-kafka\/bin\/kafka-mirror-maker-\d\.sh"$/m,
      );
      expect(unit.content).toMatch(/^Restart=on-failure$/m);
    }
  });

  it('names units after the deployment so two deployments can share a node', () => {
    const other = structuredClone(twoDcInput);
    other.entity.metadata.name = 'dc3-to-dc2';
    const paths = (input: RenderInput) =>
      new Set(
        placedFiles(renderBundle(input))
          .filter(f => f.host)
          .map(f => f.relative),
      );
    const shared = [...paths(twoDcInput)].filter(p => paths(other).has(p));
    expect(shared).toEqual([]);
  });

  it.each<[string, (spec: MirrorMakerSpec) => void, RegExp]>([
    [
      'a missing New Relic account',
      s => (s.monitoring = { newRelic: { enabled: true } }),
      /spec\.monitoring\.newRelic\.accountId is required/,
    ],
    [
      'a consumer group.id override',
      s => (s.consumer = { 'group.id': 'x' }),
      /spec\.consumer\.group\.id cannot be overridden/,
    ],
    [
      'auto commit',
      s => (s.consumer = { 'enable.auto.commit': true }),
      /spec\.consumer\.enable\.auto\.commit cannot be overridden/,
    ],
    [
      'a consumer client.id',
      s => (s.consumer = { 'client.id': 'x' }),
      /spec\.consumer\.client\.id cannot be overridden/,
    ],
    [
      'a deserializer',
      s => (s.consumer = { 'value.deserializer': 'x' }),
      /spec\.consumer\.value\.deserializer/,
    ],
    [
      'consumer brokers',
      s => (s.consumer = { 'bootstrap.servers': 'evil:9092' }),
      /spec\.consumer\.bootstrap\.servers/,
    ],
    [
      'consumer security',
      s => (s.consumer = { 'security.protocol': 'PLAINTEXT' }),
      /spec\.consumer\.security\.protocol/,
    ],
    [
      'consumer ssl',
      s => (s.consumer = { 'ssl.truststore.location': '/x' }),
      /spec\.consumer\.ssl\.truststore\.location/,
    ],
    [
      'producer sasl',
      s => (s.producer = { 'sasl.jaas.config': 'x' }),
      /spec\.producer\.sasl\.jaas\.config/,
    ],
    [
      'a producer client.id',
      s => (s.producer = { 'client.id': 'x' }),
      /spec\.producer\.client\.id/,
    ],
    [
      'a serializer',
      s => (s.producer = { 'key.serializer': 'x' }),
      /spec\.producer\.key\.serializer/,
    ],
    [
      'config providers',
      s => (s.producer = { 'config.providers': 'file' }),
      /spec\.producer\.config\.providers/,
    ],
    [
      'a non-finite number',
      s => (s.producer = { 'linger.ms': Infinity }),
      /spec\.producer\.linger\.ms must be a finite number/,
    ],
    [
      'a bad host',
      s => (s.placement.nodes = ['mm1', 'host name']),
      /spec\.placement\.nodes\[1\]/,
    ],
    [
      'an INI range',
      s => (s.placement.nodes = ['mm[1:3]']),
      /spec\.placement\.nodes\[0\]/,
    ],
    [
      'a repeated node',
      s => (s.placement.nodes = ['mm1', 'MM1']),
      /spec\.placement\.nodes lists/,
    ],
    [
      'no node',
      s => (s.placement.nodes = []),
      /spec\.placement\.nodes is empty/,
    ],
    [
      'too many processes',
      s => (s.placement.processesPerNode = 0),
      /spec\.placement\.processesPerNode/,
    ],
    [
      'overlapping ports',
      s => (s.jmx = { initialPort: 9980, exporterInitialPort: 9981 }),
      /spec\.jmx: JMX ports 9981-9982 and exporter ports 9982-9983 overlap/,
    ],
    [
      'a port past 65535',
      s => (s.jmx = { initialPort: 65535 }),
      /spec\.jmx\.initialPort/,
    ],
    [
      'a relative path',
      s => (s.install = { configDir: 'etc/mm' }),
      /spec\.install\.configDir must be an absolute path/,
    ],
    [
      'a .. segment',
      s => (s.install = { binDir: '/opt/../root' }),
      /spec\.install\.binDir must be a normalised/,
    ],
    [
      'a newline in a path',
      s => (s.install = { logDir: '/var/log/x\nExecStart=/bin/evil' }),
      /spec\.install\.logDir contains the control character/,
    ],
    [
      'a log4j variable',
      s => (s.install = { logDir: '/var/log/${user.home}' }),
      /spec\.install\.logDir contains "\$\{"/,
    ],
    [
      'a = in the agent jar',
      s => (s.install = { jmxExporterJar: '/opt/a=b.jar' }),
      /spec\.install\.jmxExporterJar contains "="/,
    ],
    [
      'a bad user',
      s => (s.install = { user: 'root\nUser=x' }),
      /spec\.install\.user/,
    ],
    [
      'a bad java binary',
      s => (s.install = { javaBin: 'java -jar x' }),
      /spec\.install\.javaBin/,
    ],
    ['a bad heap', s => (s.jvm = { heap: '2G -XX:+Evil' }), /spec\.jvm\.heap/],
    [
      'a bad log size',
      s => (s.logging = { maxFileSize: '1 TB' }),
      /spec\.logging\.maxFileSize/,
    ],
    [
      'a newline in the group id',
      s => (s.groupId = 'g\nsecurity.protocol=PLAINTEXT'),
      /spec\.groupId contains the control character/,
    ],
    [
      'a reserved label',
      s => (s.monitoring = { labels: { deployment: 'x' } }),
      /spec\.monitoring\.labels: "deployment" is set by the generated configuration/,
    ],
    [
      'a bad label name',
      s => (s.monitoring = { labels: { 'a-b': 'x' } }),
      /spec\.monitoring\.labels: label name "a-b"/,
    ],
    [
      'a newline in a label',
      s => (s.monitoring = { labels: { env: 'a\nb' } }),
      /spec\.monitoring\.labels\.env contains the control character/,
    ],
  ])('throws for %s, naming the field', (_, change, message) => {
    expect(() => renderBundle(withSpec(change))).toThrow(message);
  });

  it('throws when the topic rule selects nothing', () => {
    const input = withSpec(spec => (spec.topics = { names: [] }));
    input.approvedTopics = [];
    expect(() => renderBundle(input)).toThrow(/spec\.topics selects no topic/);
  });

  it('refuses a replication loop', () => {
    const same = structuredClone(twoDcInput);
    same.target = { ...same.source };
    expect(() => renderBundle(same)).toThrow(
      /spec\.source and spec\.target are the same cluster.*loop/,
    );
    const sharedBroker = structuredClone(twoDcInput);
    sharedBroker.target.brokers = [
      ...sharedBroker.target.brokers,
      sharedBroker.source.brokers[1].toUpperCase(),
    ];
    expect(() => renderBundle(sharedBroker)).toThrow(
      /both list broker KAFKA2\.DC1\.EXAMPLE\.COM:9093/,
    );
  });

  it('checks the cluster configuration, naming the app-config path', () => {
    const noSasl = structuredClone(twoDcInput);
    delete noSasl.source.security!.sasl;
    expect(() => renderBundle(noSasl)).toThrow(
      /mirrorMaker\.clusters\.kafka-dc1\.security\.protocol is SASL_SSL but .*sasl .* is missing/,
    );
    const badBroker = structuredClone(twoDcInput);
    badBroker.target.brokers = ['kafka1:9093,evil:9092'];
    expect(() => renderBundle(badBroker)).toThrow(
      /mirrorMaker\.clusters\.kafka-dc2\.brokers\[0\] must be host:port/,
    );
    const newline = structuredClone(twoDcInput);
    newline.source.security!.sasl!.password = 'pw\nsecurity.protocol=PLAINTEXT';
    expect(() => renderBundle(newline)).toThrow(
      /mirrorMaker\.clusters\.kafka-dc1\.security\.sasl\.password contains the control character/,
    );
    const tlsOnPlaintext = structuredClone(twoDcInput);
    tlsOnPlaintext.source.security!.protocol = 'SASL_PLAINTEXT';
    expect(() => renderBundle(tlsOnPlaintext)).toThrow(
      /security\.tls is set but .*SASL_PLAINTEXT/,
    );
  });

  it('infers the protocol from the TLS and SASL settings', () => {
    const input = structuredClone(twoDcInput);
    delete input.source.security!.protocol;
    delete input.target.security!.sasl;
    delete input.target.security!.protocol;
    const files = renderBundle(input).nodes[0].files;
    expect(files[0].content).toContain('security.protocol=SASL_SSL\n');
    expect(files[1].content).toContain('security.protocol=SSL\n');
  });

  it('writes an empty endpoint identification algorithm when host name checks are off', () => {
    const input = structuredClone(twoDcInput);
    input.source.security!.tls!.endpointIdentification = false;
    expect(renderBundle(input).nodes[0].files[0].content).toContain(
      'ssl.endpoint.identification.algorithm=\n',
    );
  });
});
