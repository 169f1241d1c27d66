import { partitionRows, selectPartitions } from './partitions';
import { groupLag } from './testData';

describe('selectPartitions', () => {
  const rows = partitionRows(
    groupLag(3, 4, ['topic-002.dc1:3', 'topic-000.dc1:1']).topics,
  );

  it('keeps the largest lag first, partitions without a commit last', () => {
    const s = selectPartitions(rows, {
      search: '',
      sortBy: 'lag',
      direction: 'desc',
      limit: 12,
    });
    expect(s.rows.map(r => `${r.topic}:${r.partition}`)).toEqual([
      'topic-002.dc1:2',
      'topic-002.dc1:1',
      'topic-002.dc1:0',
      'topic-001.dc1:3',
      'topic-001.dc1:2',
      'topic-001.dc1:1',
      'topic-001.dc1:0',
      'topic-000.dc1:3',
      'topic-000.dc1:2',
      'topic-000.dc1:0',
      'topic-000.dc1:1',
      'topic-002.dc1:3',
    ]);
    expect(s.total).toBe(12);
    expect(s.matchingWithoutCommit).toBe(2);
    // 0..11 times 3, less partitions 1 (3) and 11 (33)
    expect(s.matchingLag).toBe(3 * 66 - 3 - 33);
  });

  it('keeps partitions without a commit last when sorted smallest first', () => {
    const s = selectPartitions(rows, {
      search: '',
      sortBy: 'committedOffset',
      direction: 'asc',
      limit: 12,
    });
    expect(s.rows.slice(-2).map(r => r.committedOffset)).toEqual([null, null]);
  });

  it('searches topics in any case, counts and cuts', () => {
    const s = selectPartitions(rows, {
      search: ' Topic-001 ',
      sortBy: 'partition',
      direction: 'asc',
      limit: 2,
    });
    expect(s.rows.map(r => r.partition)).toEqual([0, 1]);
    expect(s.matching).toBe(4);
    expect(s.matchingLag).toBe(3 * (4 + 5 + 6 + 7));
  });

  it('lists only partitions without a commit when asked', () => {
    const s = selectPartitions(rows, {
      search: '',
      withoutCommitOnly: true,
      sortBy: 'topic',
      direction: 'asc',
      limit: 50,
    });
    expect(s.rows.map(r => `${r.topic}:${r.partition}`)).toEqual([
      'topic-000.dc1:1',
      'topic-002.dc1:3',
    ]);
    expect(s.matchingLag).toBe(0);
  });
});
