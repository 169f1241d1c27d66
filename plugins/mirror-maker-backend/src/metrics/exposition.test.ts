import { HOSTILE_VALUES } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { ConfigReader } from '@backstage/config';
import { escapeLabelValue, renderExposition } from './exposition';
import { readMetricsOptions } from './options';
import { formatDuration, parseWindow } from './window';

/** Reads one sample line back the way Prometheus's text parser does. */
function parseSample(line: string): {
  name: string;
  labels: Record<string, string>;
  value: string;
} {
  const brace = line.indexOf('{');
  const name = line.slice(0, brace);
  const labels: Record<string, string> = {};
  let i = brace + 1;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    const key = line.slice(i, eq);
    expect(line[eq + 1]).toBe('"');
    let value = '';
    let j = eq + 2;
    for (; line[j] !== '"'; j++) {
      if (line[j] === '\\') {
        const next = line[++j];
        value += next === 'n' ? '\n' : next;
      } else {
        value += line[j];
      }
    }
    labels[key] = value;
    i = j + 1;
    if (line[i] === ',') i++;
  }
  return { name, labels, value: line.slice(i + 2) };
}

describe('renderExposition', () => {
  it('renders families with HELP and TYPE and escaped label values', () => {
    const text = renderExposition([
      {
        name: 'mirror_maker_lag_records',
        help: 'Records behind',
        type: 'gauge',
        samples: [
          {
            labels: { deployment: 'a"b\\c\nd', topic: 'orders.dc1' },
            value: 5,
          },
          { labels: {}, value: NaN },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP mirror_maker_lag_records Records behind',
        '# TYPE mirror_maker_lag_records gauge',
        'mirror_maker_lag_records{deployment="a\\"b\\\\c\\nd",topic="orders.dc1"} 5',
        'mirror_maker_lag_records NaN',
        '',
      ].join('\n'),
    );
  });

  it.each(HOSTILE_VALUES.map(v => [v]))(
    'keeps the hostile label value %j inside its label',
    value => {
      const text = renderExposition([
        {
          name: 'm',
          help: 'h',
          type: 'gauge',
          samples: [{ labels: { deployment: value, topic: 't' }, value: 1 }],
        },
      ]);
      const lines = text.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      const sample = parseSample(lines[2]);
      expect(sample).toEqual({
        name: 'm',
        labels: { deployment: value.replace(/\r\n|\r/g, '\n'), topic: 't' },
        value: '1',
      });
    },
  );

  it('refuses metric and label names that are not legal', () => {
    const family = (name: string, label: string) => ({
      name,
      help: '',
      type: 'gauge' as const,
      samples: [{ labels: { [label]: 'v' }, value: 1 }],
    });
    expect(() => renderExposition([family('a b', 'x')])).toThrow(
      'Invalid metric name',
    );
    expect(() => renderExposition([family('a', 'x}y')])).toThrow(
      'Invalid label name',
    );
    expect(() => renderExposition([family('a', '__name__')])).toThrow(
      'Invalid label name',
    );
  });

  const promtool = '/usr/bin/promtool';
  // promtool comes with Debian's prometheus package, which `npm test` installs.
  it('passes promtool check metrics with every hostile value', () => {
    expect(fs.existsSync(promtool)).toBe(true);
    const text = renderExposition([
      {
        name: 'mirror_maker_heartbeat_latency_seconds',
        help: 'Latency\\ of "heartbeats"\nacross DCs',
        type: 'gauge',
        samples: HOSTILE_VALUES.map((v, i) => ({
          labels: { deployment: v, index: String(i) },
          value: i / 10,
        })),
      },
    ]);
    // Exits non-zero on a parse error; lint findings alone go to stdout.
    const out = execFileSync(promtool, ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
    });
    expect(out).not.toMatch(/error/i);
  });

  it('escapes only what the format needs', () => {
    expect(escapeLabelValue('plain-Value_1.0')).toBe('plain-Value_1.0');
    expect(escapeLabelValue('{}=,')).toBe('{}=,');
  });
});

describe('parseWindow', () => {
  const options = { defaultMs: 3_600_000, maxMs: 86_400_000 };

  it('reads durations and applies the default', () => {
    expect(parseWindow(undefined, options)).toBe(3_600_000);
    expect(parseWindow('15m', options)).toBe(900_000);
    expect(parseWindow('24h', options)).toBe(86_400_000);
    expect(parseWindow('90s', options)).toBe(90_000);
  });

  it.each(['1', '1w', '-1h', '0m', '1.5h', ' 1h', '1h ', '1e3s', '9999999d'])(
    'refuses %j with what is accepted',
    value => {
      expect(() => parseWindow(value, options)).toThrow(
        /use a whole number followed by s, m, h or d|out of range/,
      );
    },
  );

  it('refuses windows beyond the retention and below a minute', () => {
    expect(() => parseWindow('2d', options)).toThrow(
      'window 2d is out of range; use 1m to 1d (samples are kept for 1d)',
    );
    expect(() => parseWindow('30s', options)).toThrow('out of range');
  });

  it('formats durations with the largest even unit', () => {
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(5_400_000)).toBe('90m');
    expect(formatDuration(1500)).toBe('1500ms');
  });
});

describe('readMetricsOptions', () => {
  const read = (metrics?: object) =>
    readMetricsOptions(new ConfigReader({ mirrorMaker: { metrics } }));

  it('applies the documented defaults', () => {
    expect(read()).toEqual({
      sampleMs: 10_000,
      retentionMs: 86_400_000,
      lagCacheMs: 2_000,
      heartbeat: {
        enabled: true,
        intervalMs: 5_000,
        groupId: 'backstage-mirror-maker-heartbeat',
      },
    });
  });

  it('names the key and the accepted range of a bad value', () => {
    expect(() => read({ sampleSeconds: 1 })).toThrow(
      'mirrorMaker.metrics.sampleSeconds is 1; use a number from 5 to 3600',
    );
    expect(() => read({ heartbeat: { intervalSeconds: 0 } })).toThrow(
      'mirrorMaker.metrics.heartbeat.intervalSeconds is 0; use a number from 1 to 300',
    );
    expect(() => read({ heartbeat: { groupId: 'a b' } })).toThrow(
      'mirrorMaker.metrics.heartbeat.groupId "a b" is not accepted',
    );
  });
});
