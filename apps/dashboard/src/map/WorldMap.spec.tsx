import { describe, expect, it } from '@jest/globals';
import { render } from '@testing-library/react';
import { kmAcross, latOf, lonOf, MIN_FIT_KM, type Box } from './geometry.js';
import { WorldMap } from './WorldMap.js';

/** The view the map shows for `focus`, as its svg viewBox says. */
function fittedView(focus: [number, number][]): Box {
  const { container, unmount } = render(<WorldMap label="map" pins={[]} focus={focus} />);
  const box = container.querySelector('svg')!.getAttribute('viewBox')!.split(' ').map(Number) as Box;
  unmount();
  return box;
}

const centre = ([bx, by, w, h]: Box): [number, number] => [lonOf(bx + w / 2), latOf(by + h / 2)];

describe('WorldMap fitting its focus', () => {
  it('never zooms closer than MIN_FIT_KM across on one point, centred on it', () => {
    const leipzig: [number, number] = [12.37, 51.34];
    const box = fittedView([leipzig]);
    expect(kmAcross(box)).toBeGreaterThanOrEqual(MIN_FIT_KM - 1);
    expect(kmAcross(box)).toBeLessThan(MIN_FIT_KM * 1.1);
    expect(centre(box)[0]).toBeCloseTo(leipzig[0], 5);
    expect(centre(box)[1]).toBeCloseTo(leipzig[1], 5);
  });

  it('keeps the same ground span for a trail inside one city, and near the equator', () => {
    const city: [number, number][] = [
      [12.37, 51.34],
      [12.38, 51.341],
      [12.372, 51.339],
    ];
    expect(kmAcross(fittedView(city))).toBeGreaterThanOrEqual(MIN_FIT_KM - 1);
    expect(kmAcross(fittedView([[-78.5, -0.2]]))).toBeGreaterThanOrEqual(MIN_FIT_KM - 1);
  });

  it('still fits a long trail to the trail, not to the minimum', () => {
    const box = fittedView([
      [12.37, 51.34],
      [21.01, 52.23],
    ]);
    // Leipzig to Warsaw is about 600 km: padded, the view is wider than the minimum and holds both.
    expect(kmAcross(box)).toBeGreaterThan(600);
    expect(lonOf(box[0])).toBeLessThan(12.37);
    expect(lonOf(box[0] + box[2])).toBeGreaterThan(21.01);
  });
});
