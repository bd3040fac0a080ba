/** One index of a Mongo migration; named, so that re-creating it is a no-op. */
export interface MongoIndexSpec {
  key: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
}

/** A Mongo migration file: collections to create and the indexes each should have. */
export interface MongoMigration {
  collections: { name: string; indexes: MongoIndexSpec[] }[];
}

function fail(message: string): never {
  throw new Error(`mongo migration: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseIndex(value: unknown, where: string): MongoIndexSpec {
  if (!isObject(value)) fail(`${where} must be an object`);
  const { key, name, unique, sparse, expireAfterSeconds, ...rest } = value;
  if (Object.keys(rest).length > 0) fail(`${where} has unknown fields: ${Object.keys(rest).join(', ')}`);
  if (!isObject(key) || Object.keys(key).length === 0) fail(`${where}.key must be a non-empty object`);
  for (const [field, direction] of Object.entries(key)) {
    if (direction !== 1 && direction !== -1) fail(`${where}.key.${field} must be 1 or -1`);
  }
  if (typeof name !== 'string' || name === '') fail(`${where}.name must be a non-empty string`);
  if (unique !== undefined && typeof unique !== 'boolean') fail(`${where}.unique must be a boolean`);
  if (sparse !== undefined && typeof sparse !== 'boolean') fail(`${where}.sparse must be a boolean`);
  if (expireAfterSeconds !== undefined && (typeof expireAfterSeconds !== 'number' || expireAfterSeconds < 0)) {
    fail(`${where}.expireAfterSeconds must be a non-negative number`);
  }
  return {
    key: key as Record<string, 1 | -1>,
    name,
    ...(unique !== undefined ? { unique } : {}),
    ...(sparse !== undefined ? { sparse } : {}),
    ...(expireAfterSeconds !== undefined ? { expireAfterSeconds } : {}),
  };
}

/** Parses and validates a Mongo migration file's JSON text. */
export function parseMongoMigration(text: string): MongoMigration {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`not JSON: ${(error as Error).message}`);
  }
  if (!isObject(json) || !Array.isArray(json.collections)) fail('want { "collections": [ … ] }');
  const collections = json.collections.map((c: unknown, i: number) => {
    if (!isObject(c) || typeof c.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(c.name)) fail(`collections[${i}].name must be a collection name`);
    const indexes = c.indexes === undefined ? [] : c.indexes;
    if (!Array.isArray(indexes)) fail(`collections[${i}].indexes must be an array`);
    return { name: c.name, indexes: indexes.map((ix: unknown, j: number) => parseIndex(ix, `collections[${i}].indexes[${j}]`)) };
  });
  return { collections };
}
