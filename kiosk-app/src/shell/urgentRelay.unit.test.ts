import { describe, expect, it } from 'vitest';
import { sseData } from './urgentRelay';

describe('reading the urgent channel stream', () => {
  it('given complete and partial events, when read, then only complete events come out and the rest waits', () => {
    const buffer = { text: ': keep-alive\n\ndata: {"kind":"sync-now"}\n\nevent: urgent\ndata: {"kind":\ndata: "emergency-cleared","id":"e1"}\n\ndata: {"kind"' };
    expect([...sseData(buffer)]).toEqual(['{"kind":"sync-now"}', '{"kind":\n"emergency-cleared","id":"e1"}']);
    expect(buffer.text).toBe('data: {"kind"');
  });

  it('given CRLF line endings, when read, then events still split', () => {
    expect([...sseData({ text: 'data: a\r\n\r\ndata: b\r\n\r\n' })]).toEqual(['a', 'b']);
  });
});
