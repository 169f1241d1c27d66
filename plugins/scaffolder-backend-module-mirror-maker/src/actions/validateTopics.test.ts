import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createValidateTopicsAction } from './validateTopics';

describe('mirror-maker:topics:validate', () => {
  const action = createValidateTopicsAction();

  it('outputs the sorted, de-duplicated topics', async () => {
    const ctx = createMockActionContext({
      input: {
        topics: ['payments.dc1', 'orders.dc1', 'orders.dc1'],
        suffix: 'dc1',
      },
    });
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('topics', [
      'orders.dc1',
      'payments.dc1',
    ]);
  });

  it('lists every bad topic with its position and the rule', async () => {
    const ctx = createMockActionContext({
      input: { topics: ['orders.dc2', 'bad topic', 'ok.dc1'], suffix: 'dc1' },
    });
    const run = action.handler(ctx as any);
    await expect(run).rejects.toThrow(
      'topics[0] "orders.dc2": must end with ".dc1"',
    );
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /topics\[1\] "bad topic": topic name contains " "/,
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
