import { describe, expect, it } from 'vitest';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import '../formats';
import { contentBodySchemas } from './contentBodies';
import { demoMall } from './demoMall';

describe('the demo mall', () => {
  const mall = demoMall();

  it('has 2,000 stores over 3 floors, each reachable from a corridor', () => {
    const stores = mall.filter((u) => u.kind === 'store');
    expect(stores).toHaveLength(2000);
    expect(new Set(stores.map((s) => s.body['floor']))).toEqual(new Set([0, 1, 2]));
    const edgeEnds = new Set(mall.filter((u) => u.kind === 'map-edge').map((e) => e.body['from']));
    for (const s of stores) expect(edgeEnds.has(s.body['nodeId'])).toBe(true);
  });

  it('validates every body against its kind schema', () => {
    const checks = Object.fromEntries(Object.entries(contentBodySchemas).map(([k, s]) => [k, TypeCompiler.Compile(s)]));
    for (const item of mall) {
      const check = checks[item.kind]!;
      expect(check.Check(item.body), `${item.kind} ${item.id}: ${[...check.Errors(item.body)].map((e) => e.path + ' ' + e.message).join(', ')}`).toBe(true);
    }
  });

  it('is deterministic for a seed and different for another', () => {
    expect(demoMall({ stores: 50 })).toEqual(demoMall({ stores: 50 }));
    expect(demoMall({ stores: 50, seed: 8 })).not.toEqual(demoMall({ stores: 50 }));
  });

  it('has unique ids per kind and edges that join existing nodes', () => {
    const keys = mall.map((u) => `${u.kind}/${u.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const nodeIds = new Set(mall.filter((u) => u.kind === 'map-node').map((n) => n.id));
    for (const e of mall.filter((u) => u.kind === 'map-edge')) {
      expect(nodeIds.has(e.body['from'] as string)).toBe(true);
      expect(nodeIds.has(e.body['to'] as string)).toBe(true);
    }
  });
});
