import type { LocalisedText } from '@atrium/contracts';
import type { Lang } from '../../bridge';

/** Ops-authored text in the shopper's language, falling back to English. */
export function pickText(text: LocalisedText | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text.en;
}
