import { DEFAULTS, resolveSpec } from './defaults';
import { twoDcInput } from './__testUtils__/inputs';

describe('resolveSpec', () => {
  it('fills every default of a minimal spec', () => {
    const resolved = resolveSpec(
      {
        owner: 'group:default/team',
        source: 'resource:default/a',
        target: 'resource:default/b',
        topics: { suffix: 'dc1' },
        placement: { nodes: ['mm1'] },
      },
      'a-to-b',
    );
    expect(resolved).toMatchObject({
      groupId: 'mirror-maker-a-to-b',
      placement: { nodes: ['mm1'], processesPerNode: 1, numStreams: 1 },
      install: {
        kafkaHome: '/opt/kafka',
        configDir: '/etc/kafka-mirror-maker/a-to-b',
        binDir: '/opt/kafka-mirror-maker/a-to-b/bin',
        logDir: '/var/log/kafka-mirror-maker/a-to-b',
        user: 'kafka',
        group: 'kafka',
        javaBin: 'java',
        jmxExporterJar: '/opt/jmx-exporter/jmx_prometheus_javaagent-1.0.1.jar',
      },
      jvm: { heap: '1G' },
      jmx: { initialPort: 9980, exporterInitialPort: 9990 },
      logging: { maxFileSize: '100MB', maxBackupIndex: 10 },
      consumer: {},
      producer: {},
      offsetCommitIntervalMs: 60000,
      abortOnSendFailure: true,
      monitoring: {
        newRelic: { enabled: false, legacyFormat: false },
        prometheus: { enabled: true },
        labels: {},
        alerts: { lagGrowingMinutes: 10, heartbeatLatencySeconds: 60 },
      },
    });
    expect(resolved.monitoring.newRelic).not.toHaveProperty('accountId');
  });

  it('keeps what the spec sets', () => {
    const resolved = resolveSpec(twoDcInput.entity.spec, 'dc1-to-dc2');
    expect(resolved.placement).toEqual({
      nodes: ['mm1.dc2.example.com', 'mm2.dc2.example.com'],
      processesPerNode: 2,
      numStreams: 4,
    });
    expect(resolved.jvm.heap).toBe('2G');
    expect(resolved.monitoring.newRelic).toEqual({
      enabled: true,
      accountId: 3141592,
      legacyFormat: false,
    });
    expect(resolved.monitoring.alerts).toEqual({
      lagGrowingMinutes: 15,
      heartbeatLatencySeconds: 120,
    });
    expect(resolved.owner).toBe('group:default/kafka-platform');
  });

  it('exposes the defaults as one object', () => {
    expect(DEFAULTS.configDir('x')).toBe('/etc/kafka-mirror-maker/x');
    expect(DEFAULTS.groupId('x')).toBe('mirror-maker-x');
  });
});
