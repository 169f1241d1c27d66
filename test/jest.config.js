// The end-to-end tests live beside the test bed, not under src/, so they
// carry their own jest config (backstage-cli uses it when present).
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/kafka-runtime/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Real brokers and MirrorMaker processes on 2 cores: hooks take minutes.
  testTimeout: 180000,
};
