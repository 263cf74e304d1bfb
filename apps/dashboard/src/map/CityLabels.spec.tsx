import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { overlaps } from './place-labels.js';
import { WorldMap } from './WorldMap.js';

const BERLIN: [number, number] = [13.4, 52.52];

const names = (container: HTMLElement) =>
  [...container.querySelectorAll('.city-labels [data-city]')].map((g) => g.getAttribute('data-city'));

const viewBox = (container: HTMLElement) =>
  container.querySelector('svg')!.getAttribute('viewBox')!.split(' ').map(Number);

/** The map laid out `width` px wide (jsdom lays out nothing): the svg measures so, the buttons nothing. */
function layOut(width: number) {
  jest.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const w = this.tagName === 'svg' ? width : 0;
    return { x: 0, y: 0, left: 0, top: 0, width: w, height: w / 2, right: w, bottom: w / 2, toJSON: () => ({}) };
  });
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('WorldMap city labels', () => {
  it('names Berlin and the towns around it when fitted to a package in Berlin, and nothing far away', () => {
    const { container } = render(
      <WorldMap
        label="map"
        pins={[{ trackingNumber: 'TN1', longitude: BERLIN[0], latitude: BERLIN[1], status: 'in_transit' }]}
        focus={[BERLIN]}
      />,
    );
    expect(screen.getByText('Berlin')).toBeTruthy();
    expect(screen.getByText('Potsdam')).toBeTruthy();
    expect(names(container)).not.toContain('Madrid');
    expect(names(container)).not.toContain('Tokyo');
  });

  it('names only a handful of places at the whole-world view', () => {
    const { container } = render(<WorldMap label="map" pins={[]} />);
    expect(names(container).length).toBeGreaterThan(0);
    expect(names(container).length).toBeLessThanOrEqual(8);
    expect(names(container)).not.toContain('Berlin');
  });

  it('draws no two names over each other', () => {
    const { container } = render(<WorldMap label="map" pins={[]} focus={[BERLIN, [21.01, 52.23]]} />);
    const boxes = [...container.querySelectorAll('.city-labels [data-box]')].map((g) => {
      const [x, y, width, height] = g.getAttribute('data-box')!.split(' ').map(Number);
      return { x, y, width, height };
    });
    expect(boxes.length).toBeGreaterThan(5);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
  });

  it('lies under the pins and takes no pointer events', () => {
    const { container } = render(
      <WorldMap
        label="map"
        pins={[{ trackingNumber: 'TN1', longitude: BERLIN[0], latitude: BERLIN[1], status: 'in_transit' }]}
        trail={[BERLIN]}
        focus={[BERLIN]}
      />,
    );
    const layer = container.querySelector('.city-labels')!;
    expect(layer.getAttribute('pointer-events')).toBe('none');
    const pin = container.querySelector('.pin')!;
    const trail = container.querySelector('.trail')!;
    expect(layer.compareDocumentPosition(pin) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(layer.compareDocumentPosition(trail) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('keeps the text the same size on screen when zooming, and names fewer places on a phone', () => {
    layOut(350);
    const { container } = render(<WorldMap label="map" pins={[]} focus={[BERLIN]} />);
    const onScreen = () => {
      const text = container.querySelector('.city-labels text')!;
      return (Number(text.getAttribute('font-size')) * 350) / viewBox(container)[2];
    };
    expect(onScreen()).toBeCloseTo(12, 5);
    const phone = names(container).length;
    expect(phone).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(onScreen()).toBeCloseTo(12, 5);
    jest.restoreAllMocks();
    const { container: wide } = render(<WorldMap label="map" pins={[]} focus={[BERLIN]} />);
    expect(names(wide).length).toBeGreaterThan(phone);
  });
});
