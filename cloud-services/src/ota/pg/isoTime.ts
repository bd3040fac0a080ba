/** A timestamp column as an ISO string (the domain's time type). */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
