import { DeployTarget } from './deploy';
import { DeployTargetRegistry, MetricSourceRegistry } from './extensions';

const target = (name: string): DeployTarget => ({
  name,
  checkReadiness: async () => ({ ready: true }),
  plan: async () => [],
  stopProcess: async () => {},
  writeFiles: async () => {},
  startProcess: async () => {},
  status: async () => [],
  stopDeployment: async () => {},
});

describe('DeployTargetRegistry', () => {
  it('lists added targets sorted by name', () => {
    const registry = new DeployTargetRegistry();
    registry.addDeployTarget(target('ssh'), target('local'));
    expect(registry.list().map(t => t.name)).toEqual(['local', 'ssh']);
    expect(registry.get('ssh')?.name).toBe('ssh');
    expect(registry.get('k8s')).toBeUndefined();
  });

  it('refuses a second target with the same name', () => {
    const registry = new DeployTargetRegistry();
    registry.addDeployTarget(target('local'));
    expect(() => registry.addDeployTarget(target('local'))).toThrow(
      'Deploy target "local" is already registered',
    );
  });

  it.each(['', 'Local', 'ssh;rm', 'a b', '-x', 'x'.repeat(64)])(
    'refuses the malformed name %j',
    name => {
      expect(() =>
        new DeployTargetRegistry().addDeployTarget(target(name)),
      ).toThrow(/Invalid deploy target name/);
    },
  );
});

describe('MetricSourceRegistry', () => {
  const source = (name: string) => ({
    name,
    processMetrics: async () => [],
  });

  it('lists added sources sorted by name and refuses duplicates', () => {
    const registry = new MetricSourceRegistry();
    registry.addMetricSource(source('prometheus'), source('newrelic'));
    expect(registry.list().map(s => s.name)).toEqual([
      'newrelic',
      'prometheus',
    ]);
    expect(() => registry.addMetricSource(source('newrelic'))).toThrow(
      'Metric source "newrelic" is already registered',
    );
  });

  it.each(['', 'New Relic', 'a/b'])('refuses the malformed name %j', name => {
    expect(() =>
      new MetricSourceRegistry().addMetricSource(source(name)),
    ).toThrow(/Invalid metric source name/);
  });
});
