import { effectiveTopics } from './effective';

describe('effectiveTopics', () => {
  it('turns a suffix into an include pattern', () => {
    const t = effectiveTopics({ suffix: 'dc1' });
    expect(t.include).toBe('.*\\.dc1');
    expect(t.matches('orders.dc1')).toBe(true);
    expect(t.matches('orders.dc2')).toBe(false);
    expect(t.matches('ordersXdc1')).toBe(false);
  });

  it('quotes explicit names so dots are literal', () => {
    const t = effectiveTopics({
      names: ['payments.dc1', 'orders.dc1', 'orders.dc1'],
    });
    expect(t.include).toBe('orders\\.dc1|payments\\.dc1');
    expect(t.names).toEqual(['orders.dc1', 'payments.dc1']);
    expect(t.matches('orders.dc1')).toBe(true);
    expect(t.matches('ordersXdc1')).toBe(false);
  });

  it('folds exclude into a lookahead for Java and checks it with RE2', () => {
    const t = effectiveTopics({ suffix: 'dc1', exclude: 'internal\\..*' });
    expect(t.include).toBe('(?!(?:internal\\..*)$)(?:.*\\.dc1)');
    expect(t.matches('orders.dc1')).toBe(true);
    expect(t.matches('internal.audit.dc1')).toBe(false);
  });

  it('adds approved topics to any rule', () => {
    const t = effectiveTopics({ include: 'orders\\..*' }, ['payments.dc1']);
    expect(t.include).toBe('(?:orders\\..*)|payments\\.dc1');
    expect(t.approved).toEqual(['payments.dc1']);
    expect(t.matches('payments.dc1')).toBe(true);
    expect(t.matches('orders.x')).toBe(true);
    expect(t.matches('refunds.dc1')).toBe(false);
  });

  it('the generated include never holds a comma, space or quote (MirrorMaker would mangle it)', () => {
    const t = effectiveTopics({ names: ['a.b', 'c-d'], exclude: 'x|y' }, [
      'e_f.dc1',
    ]);
    expect(t.include).not.toMatch(/[,\s'"]/);
  });
});
