import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { AtriumError, ContentPage, contentBodySchemas, type ContentKind, type ContentUpsert, type OfferBody, type OpeningHoursBody, type KioskConfigBody } from '@atrium/contracts';
import { isValidTimeZone } from '../../core/content/openingHours';

/** One problem found in a page: a JSON pointer into the page and what is wrong there. */
export interface PageFieldError {
  path: string;
  message: string;
}

const MAX_REPORTED_ERRORS = 20;

// Compiled once per process: a page of the whole mall holds ~10,000 items.
let compiled: { page: TypeCheck<typeof ContentPage>; bodies: Record<ContentKind, TypeCheck<TSchema>> } | undefined;
function checkers() {
  compiled ??= {
    page: TypeCompiler.Compile(ContentPage),
    bodies: Object.fromEntries(Object.entries(contentBodySchemas).map(([kind, schema]) => [kind, TypeCompiler.Compile<TSchema>(schema)])) as Record<ContentKind, TypeCheck<TSchema>>,
  };
  return compiled;
}

/** Rules a schema cannot say: the body's id is the item's id, windows run forwards, time zones exist. */
function semanticErrors(item: ContentUpsert): PageFieldError[] {
  const body = item.body;
  const errors: PageFieldError[] = [];
  if (body['id'] !== item.id) errors.push({ path: '/id', message: `must equal the item id "${item.id}"` });
  switch (item.kind) {
    case 'offer': {
      const offer = body as unknown as OfferBody;
      if (Date.parse(offer.validFrom) >= Date.parse(offer.validTo)) errors.push({ path: '/validTo', message: 'must be after validFrom' });
      break;
    }
    case 'kiosk-config': {
      const config = body as unknown as KioskConfigBody;
      if (!isValidTimeZone(config.timeZone)) errors.push({ path: '/timeZone', message: `"${config.timeZone}" is not a known IANA time zone` });
      break;
    }
    case 'opening-hours': {
      const hours = body as unknown as OpeningHoursBody;
      hours.exceptions.forEach((e, i) => {
        if (!e.closed && (e.open === undefined) !== (e.close === undefined)) errors.push({ path: `/exceptions/${i}`, message: 'needs both open and close, or neither' });
      });
      break;
    }
    case 'store':
    case 'category':
    case 'map-node':
    case 'map-edge':
      break;
    default: {
      const never: never = item.kind;
      throw new Error(`unhandled content kind ${String(never)}`);
    }
  }
  return errors;
}

/** The first invalid upsert's errors, with paths relative to the page. */
function firstInvalidItem(page: ContentPage): { index: number; item: ContentUpsert; errors: PageFieldError[] } | undefined {
  const { bodies } = checkers();
  for (const [index, item] of page.upserts.entries()) {
    const check = bodies[item.kind];
    let errors: PageFieldError[] = [];
    if (!check.Check(item.body)) {
      for (const e of check.Errors(item.body)) {
        errors.push({ path: e.path, message: e.message });
        if (errors.length >= MAX_REPORTED_ERRORS) break;
      }
    } else {
      errors = semanticErrors(item);
    }
    if (errors.length > 0) return { index, item, errors: errors.map((e) => ({ path: `/upserts/${index}/body${e.path}`, message: e.message })) };
  }
  return undefined;
}

/**
 * Checks a content page as it came off the wire: its envelope, then every upsert's body
 * against its kind schema and the rules above. Throws VALIDATION_FAILED naming the first bad
 * item and field; nothing is written before the whole page has passed.
 */
export function parseContentPage(page: unknown): ContentPage {
  const { page: checkPage } = checkers();
  if (!checkPage.Check(page)) {
    const errors = [...checkPage.Errors(page)].slice(0, MAX_REPORTED_ERRORS).map((e) => ({ path: e.path, message: e.message }));
    const first = errors[0];
    throw new AtriumError('VALIDATION_FAILED', `content page rejected: ${first ? `${first.path || '/'}: ${first.message}` : 'malformed'}`, { errors });
  }
  const bad = firstInvalidItem(page);
  if (bad) {
    const first = bad.errors[0] as PageFieldError;
    const field = first.path.slice(`/upserts/${bad.index}/body`.length) || '/';
    throw new AtriumError('VALIDATION_FAILED', `content page rejected: upserts[${bad.index}] ${bad.item.kind} "${bad.item.id}": ${field}: ${first.message}`, { errors: bad.errors });
  }
  return page;
}
