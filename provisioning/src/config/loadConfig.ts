import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Reads a configuration object from environment variables, once, at start: `names` maps each
 * config key to its variable. Defaults are applied, strings converted to the schema's types,
 * and every problem is reported together so a misconfigured deployment fails with one message.
 */
export function loadConfig<T extends TObject>(schema: T, names: Record<keyof Static<T> & string, string>, env: NodeJS.ProcessEnv): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(names) as [string, string][]) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const value = Value.Convert(schema, Value.Default(schema, raw));
  const errors = [...Value.Errors(schema, value)];
  if (errors.length > 0) {
    const byKey = (path: string): string => names[path.replace(/^\//, '').split('/')[0] as keyof Static<T> & string] ?? path;
    throw new Error(`invalid configuration:\n${errors.map((e) => `  ${byKey(e.path)}: ${e.message}`).join('\n')}`);
  }
  return value as Static<T>;
}

/**
 * The environment variables of a configuration, one line each with its type and default, for
 * `--help`: the same schema that validates the configuration describes it.
 */
export function configHelp<T extends TObject>(schema: T, names: Record<keyof Static<T> & string, string>): string {
  const required = new Set(schema.required ?? []);
  const rows = (Object.entries(names) as [string, string][]).map(([key, variable]) => {
    const property = schema.properties[key] as { type?: string; anyOf?: { const?: unknown }[]; default?: unknown } | undefined;
    const type = property?.anyOf ? property.anyOf.map((p) => String(p.const)).join('|') : (property?.type ?? 'string');
    const note = required.has(key) && property?.default === undefined ? 'required' : property?.default !== undefined ? `default ${String(property.default)}` : 'optional';
    return [variable, type, note] as const;
  });
  const width = Math.max(...rows.map(([variable]) => variable.length));
  return rows.map(([variable, type, note]) => `  ${variable.padEnd(width)}  ${type} (${note})`).join('\n');
}
