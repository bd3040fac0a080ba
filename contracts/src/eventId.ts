import { v7 as uuidv7, validate, version } from 'uuid';

/** Makes the id of a new event: a UUIDv7, so ids sort by creation time and index well. */
export function newEventId(): string {
  return uuidv7();
}

/** True when `id` is a well-formed UUID of version 7. */
export function isEventId(id: string): boolean {
  return validate(id) && version(id) === 7;
}
