import type { ContentUpsert } from '../sync';
import type {
  CategoryBody,
  KioskConfigBody,
  MapEdgeBody,
  MapNodeBody,
  OfferBody,
  OpeningHoursBody,
  StoreBody,
} from './contentBodies';

/** Options of the demo mall; the defaults are the mall the local stack loads. */
export interface DemoMallOptions {
  stores: number;
  floors: number;
  offers: number;
  seed: number;
  /** When offers start being valid; offers run for 60 days from here. */
  offersFrom: string;
}

const defaults: DemoMallOptions = { stores: 2000, floors: 3, offers: 200, seed: 7, offersFrom: '2026-01-01T00:00:00.000Z' };

const CATEGORIES: Array<[string, string, string, string]> = [
  ['fashion', 'Fashion', 'Moda', 'أزياء'],
  ['shoes', 'Shoes', 'Zapatos', 'أحذية'],
  ['electronics', 'Electronics', 'Electrónica', 'إلكترونيات'],
  ['food', 'Food court', 'Restauración', 'مطاعم'],
  ['cafe', 'Cafés', 'Cafeterías', 'مقاهي'],
  ['beauty', 'Beauty', 'Belleza', 'تجميل'],
  ['sports', 'Sports', 'Deportes', 'رياضة'],
  ['books', 'Books', 'Libros', 'كتب'],
  ['toys', 'Toys', 'Juguetes', 'ألعاب'],
  ['home', 'Home', 'Hogar', 'منزل'],
  ['jewellery', 'Jewellery', 'Joyería', 'مجوهرات'],
  ['pharmacy', 'Pharmacy', 'Farmacia', 'صيدلية'],
  ['services', 'Services', 'Servicios', 'خدمات'],
  ['kids', 'Kids', 'Niños', 'أطفال'],
  ['grocery', 'Grocery', 'Supermercado', 'بقالة'],
];
const FIRST = ['Aurora', 'Bluebell', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbour', 'Iris', 'Juniper', 'Kestrel', 'Lumen', 'Maple', 'Nimbus', 'Orchid', 'Pioneer', 'Quartz', 'Rowan', 'Saffron', 'Tidal', 'Umber', 'Velvet', 'Willow', 'Xenia', 'Yarrow', 'Zephyr'];
const SECOND: Record<string, string[]> = {
  fashion: ['Apparel', 'Boutique', 'Threads', 'Outfitters'],
  shoes: ['Shoes', 'Footwear', 'Sneakers', 'Boots'],
  electronics: ['Electronics', 'Gadgets', 'Phones', 'Audio'],
  food: ['Kitchen', 'Grill', 'Noodles', 'Pizza'],
  cafe: ['Coffee', 'Café', 'Tea House', 'Bakery'],
  beauty: ['Beauty', 'Cosmetics', 'Salon', 'Perfumery'],
  sports: ['Sports', 'Outdoor', 'Fitness', 'Cycles'],
  books: ['Books', 'Stationery', 'Comics', 'Readers'],
  toys: ['Toys', 'Games', 'Hobbies', 'Puzzles'],
  home: ['Home', 'Living', 'Interiors', 'Kitchenware'],
  jewellery: ['Jewellers', 'Watches', 'Gems', 'Silver'],
  pharmacy: ['Pharmacy', 'Health', 'Chemist', 'Wellness'],
  services: ['Repairs', 'Bank', 'Travel', 'Optician'],
  kids: ['Kids', 'Baby', 'Junior', 'Little Ones'],
  grocery: ['Market', 'Grocer', 'Deli', 'Organics'],
};

/** A small deterministic PRNG (mulberry32), so the same seed always builds the same mall. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GRID = 10;
const SPACING_M = 20;
const corridorId = (floor: number, x: number, y: number) => `n-f${floor}-c${x}-${y}`;

/**
 * Builds a demo mall as content upserts: categories, stores spread over floors on a corridor
 * grid, lifts, escalators and stairs joining the floors, offers, opening hours and the default
 * kiosk configuration. Used to seed the local stack, tests and benchmarks.
 */
export function demoMall(options: Partial<DemoMallOptions> = {}): ContentUpsert[] {
  const o = { ...defaults, ...options };
  const random = prng(o.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const out: ContentUpsert[] = [];
  const add = <B extends { id: string }>(kind: ContentUpsert['kind'], body: B) => out.push({ kind, id: body.id, version: 1, body: body as unknown as Record<string, unknown> });

  for (const [id, en, es, ar] of CATEGORIES) add('category', { id, name: { en, es, ar } } satisfies CategoryBody);

  const nodes: MapNodeBody[] = [];
  const edges: MapEdgeBody[] = [];
  for (let f = 0; f < o.floors; f++) {
    for (let x = 0; x < GRID; x++) {
      for (let y = 0; y < GRID; y++) {
        nodes.push({ id: corridorId(f, x, y), floor: f, x: x * SPACING_M, y: y * SPACING_M, kind: 'corridor' });
        if (x > 0) edges.push({ id: `e-f${f}-h${x}-${y}`, from: corridorId(f, x - 1, y), to: corridorId(f, x, y), kind: 'walk', lengthM: SPACING_M });
        if (y > 0) edges.push({ id: `e-f${f}-v${x}-${y}`, from: corridorId(f, x, y - 1), to: corridorId(f, x, y), kind: 'walk', lengthM: SPACING_M });
      }
    }
  }
  // Vertical links: lifts at two corners, escalators in the middle, stairs at the other corners.
  const verticals: Array<[MapEdgeBody['kind'], number, number]> = [
    ['lift', 0, GRID - 1],
    ['lift', GRID - 1, 0],
    ['escalator', 4, 5],
    ['stairs', 0, 0],
    ['stairs', GRID - 1, GRID - 1],
  ];
  verticals.forEach(([kind, x, y], i) => {
    for (let f = 0; f < o.floors; f++) {
      const id = `n-f${f}-${kind}${i}`;
      nodes.push({ id, floor: f, x: x * SPACING_M + 3, y: y * SPACING_M + 3, kind: kind === 'walk' ? 'corridor' : kind, label: `${kind} ${i}` });
      edges.push({ id: `e-${id}-c`, from: id, to: corridorId(f, x, y), kind: 'walk', lengthM: 4 });
      if (f > 0) edges.push({ id: `e-${kind}${i}-f${f - 1}-f${f}`, from: `n-f${f - 1}-${kind}${i}`, to: id, kind, lengthM: kind === 'lift' ? 15 : 12 });
    }
  });
  nodes.push({ id: 'n-f0-kiosk1', floor: 0, x: 2, y: 2, kind: 'kiosk', label: 'You are here' });
  edges.push({ id: 'e-kiosk1', from: 'n-f0-kiosk1', to: corridorId(0, 0, 0), kind: 'walk', lengthM: 3 });
  nodes.push({ id: 'n-f0-entrance-main', floor: 0, x: 90, y: -10, kind: 'entrance', label: 'Main entrance' });
  edges.push({ id: 'e-entrance-main', from: 'n-f0-entrance-main', to: corridorId(0, 4, 0), kind: 'walk', lengthM: 10 });

  const storeIds: string[] = [];
  for (let i = 1; i <= o.stores; i++) {
    const floor = (i - 1) % o.floors;
    const x = Math.floor(random() * GRID);
    const y = Math.floor(random() * GRID);
    const [category] = pick(CATEGORIES);
    const name = `${pick(FIRST)} ${pick(SECOND[category] ?? ['Store'])}`;
    const id = `store-${String(i).padStart(4, '0')}`;
    const nodeId = `n-${id}`;
    storeIds.push(id);
    nodes.push({ id: nodeId, floor, x: x * SPACING_M + 6, y: y * SPACING_M + 6, kind: 'store', label: name });
    edges.push({ id: `e-${id}`, from: nodeId, to: corridorId(floor, x, y), kind: 'walk', lengthM: 6 });
    add('store', {
      id,
      name,
      categoryIds: random() < 0.15 ? [category, pick(CATEGORIES)[0]].filter((c, k, a) => a.indexOf(c) === k) : [category],
      floor,
      unit: `${floor}${String.fromCharCode(65 + x)}${String(y).padStart(2, '0')}-${i}`,
      nodeId,
      keywords: [category, ...name.toLowerCase().split(' ')],
    } satisfies StoreBody);
    const lateClose = random() < 0.2;
    add('opening-hours', {
      id,
      weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: day === 0 ? '11:00' : '10:00', close: lateClose ? '22:00' : '21:00' })),
      exceptions: [],
    } satisfies OpeningHoursBody);
  }
  for (const n of nodes) add('map-node', n);
  for (const e of edges) add('map-edge', e);

  const from = Date.parse(o.offersFrom);
  for (let i = 1; i <= o.offers; i++) {
    const storeId = pick(storeIds);
    const percent = 5 + Math.floor(random() * 9) * 5;
    add('offer', {
      id: `offer-${i}`,
      storeId,
      title: { en: `${percent}% off`, es: `${percent}% de descuento`, ar: `خصم ${percent}٪` },
      validFrom: new Date(from).toISOString(),
      validTo: new Date(from + 60 * 86_400_000).toISOString(),
      ...(random() < 0.6 ? { stock: 20 + Math.floor(random() * 200) } : {}),
      perShopperLimit: 1 + Math.floor(random() * 2),
    } satisfies OfferBody);
  }
  add('opening-hours', { id: 'mall', weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '09:00', close: '22:00' })), exceptions: [] } satisfies OpeningHoursBody);
  add('kiosk-config', {
    id: 'default',
    mallId: 'mall-01',
    mallName: 'Atrium Demo Mall',
    timeZone: 'Europe/Madrid',
    nodeId: 'n-f0-kiosk1',
    idleTimeoutS: 60,
    languages: ['en', 'es', 'ar'],
    attractOfferIds: ['offer-1', 'offer-2', 'offer-3'],
  } satisfies KioskConfigBody);
  return out;
}
