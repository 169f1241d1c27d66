/**
 * Copies what a spread `{ ...source }` copies (own enumerable string keys in
 * order, then own enumerable symbols) onto `target`, key by key, and returns
 * `target`. V8 adds properties to the result of a spread many times more
 * slowly than to a plain object, so objects that get more keys after the
 * copy are built this way; key order and values are those of the spread.
 */
export function assignOwnProperties<T extends object>(
  target: T,
  source: object,
): T {
  const from = source as Record<PropertyKey, unknown>;
  const to = target as Record<PropertyKey, unknown>;
  for (const key of Object.keys(from)) {
    if (key === '__proto__') {
      // Plain assignment would set the prototype instead of a property.
      Object.defineProperty(to, key, {
        value: from[key],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      to[key] = from[key];
    }
  }
  for (const symbol of Object.getOwnPropertySymbols(from)) {
    if (Object.prototype.propertyIsEnumerable.call(from, symbol)) {
      to[symbol] = from[symbol];
    }
  }
  return target;
}
