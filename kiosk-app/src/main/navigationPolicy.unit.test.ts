import { describe, expect, it } from 'vitest';
import { isAllowedNavigation } from './navigationPolicy';

const allow = ['http://127.0.0.1:7400'];

describe('the kiosk window navigation policy', () => {
  it.each([
    ['http://127.0.0.1:7400/', true],
    ['http://127.0.0.1:7400/index.html#k=abc', true],
    ['http://127.0.0.1:7401/', false],
    ['https://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['http://user:pw@127.0.0.1:7400/', false],
    ['not a url', false],
  ])('given %s, then allowed is %s', (url, allowed) => {
    expect(isAllowedNavigation(url, allow)).toBe(allowed);
  });
});
