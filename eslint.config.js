// Lint is where the architecture is enforced: the kiosk-app layers of DESIGN.md
// (core, edge, main, preload, renderer, shell, bridge) and the package boundaries
// (contracts has no I/O; services share only contracts) are errors, not advice.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = ['node:*', ...builtinModules, ...builtinModules.map((m) => `${m}/*`)];
const layerNames = (layers) => `(${layers.join('|')})(/|$)`;

/** Builds a no-restricted-imports rule for one kiosk-app layer. */
function layer({ forbidNode = false, forbidLayers = [], forbidPackages = [], onlyRelativeAnd = null, why }) {
  const patterns = [];
  if (forbidNode) patterns.push({ group: nodeBuiltins, message: `${why}: no Node built-ins here.` });
  if (forbidLayers.length) {
    patterns.push({ regex: `^\\.{1,2}/(.*/)?${layerNames(forbidLayers)}`, message: `${why}: this layer may not import ${forbidLayers.join(', ')}.` });
  }
  if (forbidPackages.length) patterns.push({ group: forbidPackages, message: `${why}: package not allowed in this layer.` });
  if (onlyRelativeAnd) {
    const allowed = onlyRelativeAnd.map((p) => p.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|');
    patterns.push({ regex: `^(?!\\.{1,2}/|(${allowed})$)`, message: `${why}: only ${onlyRelativeAnd.join(', ')} and files of its own layer.` });
  }
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.state/**', '.cache/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^(only|skip|todo)$/][callee.object.name=/^(it|test|describe)$/]", message: 'Focused, skipped or unwritten tests are defects.' },
      ],
    },
  },
  {
    files: ['contracts/src/**/*.ts'],
    rules: layer({ forbidNode: true, forbidPackages: ['@atrium/*'], why: 'contracts has no I/O and depends on no other package' }),
  },
  {
    files: ['kiosk-app/src/core/**/*.ts'],
    rules: layer({ forbidNode: true, forbidLayers: ['edge', 'main', 'preload', 'renderer', 'shell', 'bridge'], onlyRelativeAnd: ['@atrium/contracts'], why: 'kiosk core is pure' }),
  },
  {
    // Tests of the pure core may use the test tools, and nothing else more.
    files: ['kiosk-app/src/core/**/*.test.ts'],
    rules: layer({ forbidNode: true, forbidLayers: ['edge', 'main', 'preload', 'renderer', 'shell', 'bridge'], onlyRelativeAnd: ['@atrium/contracts', 'vitest', 'fast-check'], why: 'kiosk core tests stay pure' }),
  },
  {
    files: ['kiosk-app/src/bridge/**/*.ts'],
    rules: layer({ forbidNode: true, forbidLayers: ['edge', 'main', 'preload', 'renderer', 'shell'], onlyRelativeAnd: ['@atrium/contracts'], why: 'the bridge contract is types and schemas only' }),
  },
  {
    files: ['kiosk-app/src/edge/**/*.ts'],
    rules: layer({ forbidLayers: ['main', 'preload', 'renderer', 'shell'], forbidPackages: ['electron', 'electron/*'], why: 'edge runs under plain Node' }),
  },
  {
    files: ['kiosk-app/src/main/**/*.ts'],
    rules: layer({ forbidLayers: ['preload', 'renderer', 'shell', 'core'], why: 'main wires edge into Electron' }),
  },
  {
    files: ['kiosk-app/src/preload/**/*.ts'],
    rules: layer({ forbidNode: true, forbidLayers: ['core', 'edge', 'main', 'renderer', 'shell'], onlyRelativeAnd: ['electron'], why: 'preload exposes the bridge and nothing else' }),
  },
  {
    files: ['kiosk-app/src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer({ forbidNode: true, forbidLayers: ['edge', 'main', 'preload', 'shell'], forbidPackages: ['electron', 'electron/*', 'better-sqlite3'], why: 'renderer runs in a sandboxed page' }),
  },
  {
    files: ['kiosk-app/src/shell/**/*.ts'],
    rules: layer({ forbidLayers: ['main', 'preload', 'renderer'], forbidPackages: ['electron', 'electron/*'], why: 'the browser shell is plain Node' }),
  },
  ...['sync-gateway', 'cloud-services', 'provisioning'].map((pkg) => ({
    files: [`${pkg}/src/**/*.ts`],
    rules: layer({
      forbidPackages: ['@atrium/*', '!@atrium/contracts'].concat(pkg === 'cloud-services' ? [] : []),
      why: `${pkg} shares only contracts with other packages`,
    }),
  })),
);
