import { describe, expect, it } from '@jest/globals';
import { cityLabels } from './city-labels.js';
import { fitBox, WORLD, x, y, type Box } from './geometry.js';
import { overlaps, placeLabels, square, type LabelRequest, type PlacedLabel } from './place-labels.js';

const label = (text: string, x: number, y: number): LabelRequest => ({ key: text, text, x, y, fontPx: 12 });
const view = { width: 400, height: 200, most: Infinity };

function expectNoOverlap(placed: PlacedLabel[], width: number, height: number) {
  for (const [i, a] of placed.entries()) {
    expect([a.text, a.x >= 0 && a.x <= width && a.y >= 0 && a.y <= height]).toEqual([a.text, true]);
    expect(a.box.x).toBeGreaterThanOrEqual(0);
    expect(a.box.y).toBeGreaterThanOrEqual(0);
    expect(a.box.x + a.box.width).toBeLessThanOrEqual(width);
    expect(a.box.y + a.box.height).toBeLessThanOrEqual(height);
    for (const b of placed.slice(i + 1)) {
      expect([a.text, b.text, overlaps(a.box, b.box)]).toEqual([a.text, b.text, false]);
      // Nor does a name cover another place's dot.
      expect(overlaps(a.box, square(b.x, b.y, 2.5))).toBe(false);
      expect(overlaps(b.box, square(a.x, a.y, 2.5))).toBe(false);
    }
  }
}

describe('placeLabels', () => {
  it('puts a label right of its point, and on the left where the right runs off the view', () => {
    const [a, b] = placeLabels([label('Alpha', 50, 100), label('Bravo', 395, 100)], view);
    expect([a.anchor, a.box.x]).toEqual(['start', 55.5]);
    expect(b.anchor).toBe('end');
    expect(b.box.x + b.box.width).toBeLessThanOrEqual(395);
  });

  it('moves or leaves out a lower-priority label that would overlap one placed', () => {
    const placed = placeLabels([label('Alpha', 100, 100), label('Bravo', 140, 118), label('Charlie', 103, 102)], view);
    // Bravo's right side touches Alpha: it goes below; Charlie's point is under Alpha's name.
    expect(placed.map((p) => [p.text, p.anchor])).toEqual([
      ['Alpha', 'start'],
      ['Bravo', 'middle'],
    ]);
    expectNoOverlap(placed, 400, 200);
  });

  it("never writes a name over another place's dot", () => {
    // Right of its point, "Bo" would end on Alpha's dot, clear of Alpha's name.
    const [, b] = placeLabels([label('Alpha', 100, 100), label('Bo', 80, 100)], view);
    expect([b.text, b.anchor]).toEqual(['Bo', 'end']);
  });

  it('stops at `most`', () => {
    const many = Array.from({ length: 20 }, (_, i) => label(`P${i}`, 20 + (i % 5) * 80, 20 + Math.floor(i / 5) * 45));
    expect(placeLabels(many, view)).toHaveLength(20);
    expect(placeLabels(many, { ...view, most: 3 }).map((p) => p.text)).toEqual(['P0', 'P1', 'P2']);
  });

  it('keeps clear of obstacles, beyond a pin drawn on the point itself', () => {
    const pin = square(100, 100, 12);
    const [a] = placeLabels([label('Berlin', 100, 100)], { ...view, obstacles: [pin], clearance: 12 });
    expect(overlaps(a.box, pin)).toBe(false);
    expect(a.box.x).toBeLessThan(100 + 20);
    // Without the clearance ring it has nowhere to go.
    expect(placeLabels([label('Berlin', 100, 100)], { ...view, obstacles: [pin] })).toEqual([]);
  });
});

describe('cityLabels', () => {
  const berlin = fitBox([[13.4, 52.52]]);
  const views: [string, Box, number][] = [
    ['world, desktop', WORLD, 1120 / 360],
    ['world, phone', WORLD, 350 / 360],
    [
      'Europe',
      fitBox([
        [-9, 38],
        [30, 60],
      ]),
      1120 /
        fitBox([
          [-9, 38],
          [30, 60],
        ])[2],
    ],
    [
      'Benelux',
      fitBox([
        [3, 50.5],
        [7, 53],
      ]),
      1120 /
        fitBox([
          [3, 50.5],
          [7, 53],
        ])[2],
    ],
    ['Berlin, desktop', berlin, 1120 / berlin[2]],
    ['Berlin, phone', berlin, 350 / berlin[2]],
  ];

  it.each(views)('never overlaps two names (%s)', (_, box, pixelsPerUnit) => {
    const placed = cityLabels({ box, pixelsPerUnit });
    expect(placed.length).toBeGreaterThan(0);
    expectNoOverlap(placed, box[2] * pixelsPerUnit, box[3] * pixelsPerUnit);
  });

  it('names only megacities, a handful, at the world view', () => {
    const placed = cityLabels({ box: WORLD, pixelsPerUnit: 1120 / 360 });
    expect(placed.length).toBeLessThanOrEqual(8);
    expect(placed.map((p) => p.text)).toContain('Tokyo');
    expect(placed.map((p) => p.text)).not.toContain('Potsdam');
  });

  it('names the nearby towns at 400 km across, and nothing outside the view', () => {
    const names = cityLabels({ box: berlin, pixelsPerUnit: 1120 / berlin[2] }).map((p) => p.text);
    expect(names).toEqual(expect.arrayContaining(['Berlin', 'Potsdam', 'Leipzig', 'Frankfurt (Oder)']));
    expect(names).not.toContain('Hamburg');
    expect(names).not.toContain('Munich');
  });

  it('leaves out a city just outside the view even where its name would fit inside', () => {
    // The view ends 0.02° (4 px) west of Berlin: written to its left, "Berlin" would be in view.
    const w = berlin[2];
    const box: Box = [x(13.38) - w, y(52.52) - w / 4, w, w / 2];
    const names = cityLabels({ box, pixelsPerUnit: 1120 / w }).map((p) => p.text);
    expect(names).toContain('Potsdam');
    expect(names).not.toContain('Berlin');
  });

  it('names fewer places on a small screen', () => {
    const wide = cityLabels({ box: berlin, pixelsPerUnit: 1120 / berlin[2] });
    const phone = cityLabels({ box: berlin, pixelsPerUnit: 350 / berlin[2] });
    expect(phone.length).toBeLessThan(wide.length);
    expect(phone.map((p) => p.text)).toContain('Berlin');
    // About one name per 9000 px² at most: 350 × 175 px holds six.
    expect(phone.length).toBeLessThanOrEqual(6);
  });
});
