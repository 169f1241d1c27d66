import { InputError } from '@backstage/errors';
import { deploymentDirName, isInside, nodePaths, safeSegment } from './paths';

describe('local deploy target paths', () => {
  it('names a deployment folder after its ref', () => {
    expect(deploymentDirName('mirrormaker:default/dc1-to-dc2')).toBe(
      'mirrormaker.default.dc1-to-dc2',
    );
    expect(deploymentDirName('MirrorMaker:Default/DC1-to-DC2')).toBe(
      'mirrormaker.default.dc1-to-dc2',
    );
    expect(deploymentDirName('default/dc1-to-dc2')).toBe(
      'mirrormaker.default.dc1-to-dc2',
    );
    expect(deploymentDirName('dc1-to-dc2')).toBe(
      'mirrormaker.default.dc1-to-dc2',
    );
  });

  it.each([
    ['mirrormaker:default/..', /name "\.\." .*contains "\.\."/],
    ['mirrormaker:../x', /namespace "\.\." .*contains "\.\."/],
    ['mirrormaker:default/a/b', /name "a\/b" .*contains "\/"/],
    ['mirrormaker:default/a\0b', /name "a\\u0000b" .*contains "\\u0000"/],
    ['mirrormaker:default/', /name "" .*it is empty/],
    [':default/x', /kind "" .*it is empty/],
    ['mirrormaker:default/a\\b', /contains "\\\\"/],
  ])('rejects the deployment ref %j', (ref, message) => {
    expect(() => deploymentDirName(ref)).toThrow(InputError);
    expect(() => deploymentDirName(ref)).toThrow(message);
  });

  it.each(['..', '.', '', 'a/b', '../etc', 'a\0b', 'x\ny', 'a'.repeat(201)])(
    'rejects the host %j',
    host => {
      expect(() => nodePaths('/w', 'd', host)).toThrow(
        /spec.placement.nodes entry .* cannot name a folder of the local deploy target/,
      );
    },
  );

  it('lays a node out under its deployment folder', () => {
    const paths = nodePaths('/w', 'mirrormaker.default.x', 'mm1.example.com');
    expect(paths.root).toBe('/w/mirrormaker.default.x/mm1.example.com');
    expect(paths.script(2)).toBe(`${paths.root}/bin/kafka-mirror-maker-2.sh`);
    expect(paths.outFile(2)).toBe(`${paths.root}/logs/process-2.out`);
    expect(paths.stateFile(2)).toBe(`${paths.root}/run/process-2.json`);
    expect(paths.portsFile).toBe(`${paths.root}/run/ports.json`);
    expect(safeSegment('10.0.0.1', 'host')).toBe('10.0.0.1');
  });

  it('tells files inside a folder from files outside', () => {
    expect(isInside('/w/d', '/w/d/config/a')).toBe(true);
    expect(isInside('/w/d', '/w/d')).toBe(false);
    expect(isInside('/w/d', '/w/d/../e/a')).toBe(false);
    expect(isInside('/w/d', '/etc/systemd/system/x.service')).toBe(false);
  });
});
