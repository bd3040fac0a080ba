import { describe, expect, it } from 'vitest';
import { freeAddresses, parsePool, poolCapacity, poolContains, poolsOverlap } from './addressPool';

describe('address pools', () => {
  it('normalise a CIDR to its network address', () => {
    expect(parsePool('10.77.1.9/24').cidr).toBe('10.77.1.0/24');
  });

  it('refuse what is not an IPv4 pool of a sensible size, saying why', () => {
    expect(() => parsePool('nonsense')).toThrow(/not a CIDR/);
    expect(() => parsePool('fd00::/64')).toThrow(/IPv4/);
    expect(() => parsePool('10.0.0.0/8')).toThrow(/\/16 to \/30/);
    expect(() => parsePool('10.0.0.0/31')).toThrow(/\/16 to \/30/);
  });

  it('count host addresses only', () => {
    expect(poolCapacity(parsePool('10.77.1.0/30'))).toBe(2);
    expect(poolCapacity(parsePool('10.77.0.0/16'))).toBe(65_534);
  });

  it('know which addresses they contain and which pools they overlap', () => {
    const pool = parsePool('10.77.1.0/24');
    expect(poolContains(pool, '10.77.1.255')).toBe(true);
    expect(poolContains(pool, '10.77.2.0')).toBe(false);
    expect(poolContains(pool, 'not-an-ip')).toBe(false);
    expect(poolsOverlap(pool, parsePool('10.77.0.0/16'))).toBe(true);
    expect(poolsOverlap(pool, parsePool('10.77.2.0/24'))).toBe(false);
  });
});

describe('free addresses', () => {
  it('given an empty /30, when asked, then both hosts are offered lowest first', () => {
    expect(freeAddresses(parsePool('10.77.1.0/30'), new Set(), 10)).toEqual(['10.77.1.1', '10.77.1.2']);
  });

  it('given taken and reserved addresses, when asked, then they are skipped', () => {
    expect(freeAddresses(parsePool('10.77.1.0/29'), new Set(['10.77.1.1', '10.77.1.3']), 3)).toEqual(['10.77.1.2', '10.77.1.4', '10.77.1.5']);
  });

  it('given a full pool, when asked, then nothing is offered', () => {
    expect(freeAddresses(parsePool('10.77.1.0/30'), new Set(['10.77.1.1', '10.77.1.2']), 5)).toEqual([]);
  });
});
