// One normalisation for both sides of directory search: the text the kiosk indexes and the
// text a shopper types go through the same function, so "Café", "cafe" and "CAFÉ" meet, and so
// do the Arabic spellings a shopper is likely to type (with or without hamza, taa marbuta, the
// definite article).

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;
const TATWEEL = /\u0640/g;

/** Arabic letters that shoppers type interchangeably, folded to one form. */
const ARABIC_FOLDS: Record<string, string> = {
  '\u0622': '\u0627', // آ -> ا
  '\u0623': '\u0627', // أ -> ا
  '\u0625': '\u0627', // إ -> ا
  '\u0671': '\u0627', // ٱ -> ا
  '\u0649': '\u064a', // ى -> ي
  '\u0629': '\u0647', // ة -> ه
};
const ARABIC_FOLD_PATTERN = new RegExp(`[${Object.keys(ARABIC_FOLDS).join('')}]`, 'g');
const ARABIC_ARTICLE = /^(?:ال|وال|بال|لل)(?=\p{L}{2,})/u;

/** Lower-cases, strips accents and Arabic diacritics, folds Arabic letter variants. */
export function foldSearchText(text: string): string {
  return text
    .replace(ARABIC_FOLD_PATTERN, (c) => ARABIC_FOLDS[c] ?? c)
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(TATWEEL, '')
    .toLowerCase();
}

/**
 * Splits text into normalised search terms: folded (see `foldSearchText`), split on anything that
 * is not a letter or digit, with the Arabic definite article taken off (light stemming, so
 * "الأحذية" finds "أحذية").
 */
export function searchTerms(text: string): string[] {
  return foldSearchText(text)
    .split(NOT_WORD)
    .filter((t) => t.length > 0)
    .map((t) => t.replace(ARABIC_ARTICLE, ''));
}

/** The text the full-text index stores for a field: its terms joined by single spaces. */
export function indexText(...texts: ReadonlyArray<string | undefined>): string {
  return texts.flatMap((t) => (t === undefined ? [] : searchTerms(t))).join(' ');
}
