/**
 * Entity ids may contain `.`, which MongoDB reads as a path separator; ids used as field names are
 * escaped (`%` first, then `.`, then a leading `$`), reversibly.
 */
export function encodeFieldKey(id: string): string {
  return id.replaceAll('%', '%25').replaceAll('.', '%2E').replace(/^\$/, '%24');
}

/** Reverses `encodeFieldKey`. */
export function decodeFieldKey(key: string): string {
  return key.replace(/^%24/, '$').replaceAll('%2E', '.').replaceAll('%25', '%');
}
