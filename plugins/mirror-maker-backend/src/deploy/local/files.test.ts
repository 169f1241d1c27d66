import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newestTail, tailLines, writeFileAtomic } from './files';

describe('local deploy target files', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-local-files-'));
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes atomically with the given mode and leaves no temporary file', async () => {
    const file = path.join(tmp, 'config', 'consumer.properties');
    await writeFileAtomic(file, 'a=1\n', 0o600);
    await writeFileAtomic(file, 'a=2\n', 0o640);
    const script = path.join(tmp, 'bin', 'start.sh');
    await writeFileAtomic(script, '#!/bin/sh\n', 0o755);
    expect(fs.readFileSync(file, 'utf8')).toBe('a=2\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.statSync(script).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(path.join(tmp, 'config'))).toEqual([
      'consumer.properties',
    ]);
    expect(fs.statSync(path.join(tmp, 'config')).mode & 0o777).toBe(0o700);
  });

  it('keeps the old file and removes the temporary one when writing fails', async () => {
    const file = path.join(tmp, 'a.properties');
    fs.writeFileSync(file, 'old');
    // A folder in the way makes the rename fail after the content was written.
    const blocked = path.join(tmp, 'blocked');
    fs.mkdirSync(path.join(blocked, 'child'), { recursive: true });
    await expect(writeFileAtomic(blocked, 'new', 0o644)).rejects.toThrow();
    expect(fs.readdirSync(tmp).sort()).toEqual(['a.properties', 'blocked']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });

  it('holds up under concurrent writers: one complete content wins', async () => {
    const file = path.join(tmp, 'state.json');
    const contents = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({ i, pad: 'x'.repeat(10_000) }),
    );
    await Promise.all(contents.map(c => writeFileAtomic(file, c, 0o600)));
    expect(contents).toContain(fs.readFileSync(file, 'utf8'));
    expect(fs.readdirSync(tmp)).toEqual(['state.json']);
  });

  it('tails the newest of several logs', async () => {
    const a = path.join(tmp, 'a.log');
    const b = path.join(tmp, 'b.log');
    fs.writeFileSync(a, 'a1\na2\na3\n');
    fs.writeFileSync(b, 'b1\nb2\n');
    fs.utimesSync(a, new Date(1000), new Date(1000));
    expect(await tailLines(a, 2)).toEqual(['a2', 'a3']);
    expect(await newestTail([a, b], 5)).toEqual(['b1', 'b2']);
    expect(await newestTail([path.join(tmp, 'none')], 5)).toEqual([]);
    const big = path.join(tmp, 'big.log');
    fs.writeFileSync(
      big,
      Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n'),
    );
    expect(await tailLines(big, 3)).toEqual([
      'line 19997',
      'line 19998',
      'line 19999',
    ]);
  });
});
