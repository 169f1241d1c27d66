import { DeployTarget } from './deploy';
import { DeployTargetRegistry } from './extensions';

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
