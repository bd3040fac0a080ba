/** A CQL statement, the partition it writes (table and partition key) and its rough size. */
export interface PartitionStatement {
  query: string;
  params: unknown[];
  /** Table and partition key values; statements with equal `partition` write the same partition. */
  partition: readonly unknown[];
  bytes: number;
}

/** How large one single-partition batch may grow. */
export interface PartitionBatchLimits {
  maxStatements: number;
  maxBytes: number;
}

/**
 * Bounds each batch: Cassandra applies a single-partition batch as one mutation (atomic and
 * isolated, and exempt from the multi-partition batch size limits), yet one request should stay small.
 */
export const DEFAULT_PARTITION_BATCH_LIMITS: PartitionBatchLimits = { maxStatements: 100, maxBytes: 256 * 1024 };

/**
 * Groups statements by the partition they write, in their order, and cuts each group into chunks
 * within `limits`. Each chunk can go to Cassandra as one unlogged single-partition batch: one
 * request and one mutation instead of one per row.
 */
export function partitionBatches(statements: readonly PartitionStatement[], limits: PartitionBatchLimits = DEFAULT_PARTITION_BATCH_LIMITS): PartitionStatement[][] {
  const open = new Map<string, PartitionStatement[]>();
  const chunks: PartitionStatement[][] = [];
  const sizes = new Map<PartitionStatement[], number>();
  for (const statement of statements) {
    const key = JSON.stringify(statement.partition);
    let chunk = open.get(key);
    if (!chunk || chunk.length >= limits.maxStatements || sizes.get(chunk)! + statement.bytes > limits.maxBytes) {
      chunk = [];
      chunks.push(chunk);
      open.set(key, chunk);
      sizes.set(chunk, 0);
    }
    chunk.push(statement);
    sizes.set(chunk, sizes.get(chunk)! + statement.bytes);
  }
  return chunks;
}
