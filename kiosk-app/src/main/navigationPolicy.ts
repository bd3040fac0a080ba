/**
 * True when the kiosk window may go to `url`: only the app's own origin, and only over the
 * schemes it serves from. Anything else (a link in content, a redirect) is refused.
 */
export function isAllowedNavigation(url: string, allowedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  return allowedOrigins.includes(parsed.origin);
}
