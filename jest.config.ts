/** @jest-config-loader esbuild-register */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from 'jest';

// One jest project per workspace (packages/* and services/*), so `pnpm test` at the root runs them
// all and `pnpm test` inside a workspace runs `jest --selectProjects <its name>` with this file.
const workspaceDirs = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(__dirname, group), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(__dirname, group, entry.name, 'tests')),
    )
    .map((entry) => join(__dirname, group, entry.name)),
);

const swcTransform: Config['transform'] = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
  ],
};

const config: Config = {
  reporters: ['default', join(__dirname, 'packages/testing/src/summaryReporter.cjs')],
  projects: workspaceDirs.map((dir) => ({
    displayName: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/tests/**/*.test.ts'],
    transform: swcTransform,
    // middy ships ESM only; jest on Node 20 loads CommonJS, so swc compiles it like our own code.
    transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(@middy/|jose/))'],
    setupFiles: [join(__dirname, 'packages/testing/src/setupEnv.ts')],
  })),
};

export default config;
