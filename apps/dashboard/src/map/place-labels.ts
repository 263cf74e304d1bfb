/** A rectangle in screen pixels, origin at the top left of the view. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelRequest {
  key: string;
  text: string;
  /** The labelled point (a city's dot), in screen pixels. */
  x: number;
  y: number;
  fontPx: number;
  /** Bold labels are estimated wider. */
  strong?: boolean;
}

export type Anchor = 'start' | 'middle' | 'end';

export interface PlacedLabel extends LabelRequest {
  /** Where the text goes (its vertical centre), and which side of it that point is. */
  textX: number;
  textY: number;
  anchor: Anchor;
  /** The text's estimated extent, what placement kept clear of other labels. */
  box: Rect;
}

export interface PlaceOptions {
  width: number;
  height: number;
  /** At most this many labels: placement stops there even when more would fit. */
  most: number;
  /** What labels must not cover: pins, trail points, the zoom buttons. */
  obstacles?: Rect[];
  /** How far a label may move from its point to get round an obstacle drawn on it (a pin's radius). */
  clearance?: number;
  dotRadius?: number;
}

/** Estimated, not measured: placement runs before anything is drawn, and in jsdom, which has no fonts. */
const CHAR_EM = 0.62;
const STRONG_EM = 0.68;
const LINE_EM = 1.25;
/** The least distance between two labels, so neighbours read as two names. */
const GAP = 4;

export const overlaps = (a: Rect, b: Rect, gap = 0): boolean =>
  a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

const inside = (r: Rect, width: number, height: number) =>
  r.x >= 0 && r.y >= 0 && r.x + r.width <= width && r.y + r.height <= height;

export const square = (cx: number, cy: number, r: number): Rect => ({
  x: cx - r,
  y: cy - r,
  width: 2 * r,
  height: 2 * r,
});

/** The text's box, placed `offset` away from the point on one side. */
function candidate(l: LabelRequest, side: 'right' | 'left' | 'above' | 'below', offset: number) {
  const width = l.text.length * l.fontPx * (l.strong ? STRONG_EM : CHAR_EM);
  const height = l.fontPx * LINE_EM;
  switch (side) {
    case 'right':
      return {
        textX: l.x + offset,
        textY: l.y,
        anchor: 'start' as const,
        box: { x: l.x + offset, y: l.y - height / 2, width, height },
      };
    case 'left':
      return {
        textX: l.x - offset,
        textY: l.y,
        anchor: 'end' as const,
        box: { x: l.x - offset - width, y: l.y - height / 2, width, height },
      };
    case 'above':
      return {
        textX: l.x,
        textY: l.y - offset - height / 2,
        anchor: 'middle' as const,
        box: { x: l.x - width / 2, y: l.y - offset - height, width, height },
      };
    case 'below':
      return {
        textX: l.x,
        textY: l.y + offset + height / 2,
        anchor: 'middle' as const,
        box: { x: l.x - width / 2, y: l.y + offset, width, height },
      };
  }
}

const SIDES = ['right', 'left', 'above', 'below'] as const;

/**
 * Greedy placement: requests in priority order, each on the first side of its point where its
 * text stays in view and clear of every label and dot already placed and of the obstacles;
 * a request with no such side is left out.
 */
export function placeLabels(requests: LabelRequest[], options: PlaceOptions): PlacedLabel[] {
  const { width, height, most, obstacles = [], clearance = 0, dotRadius = 2.5 } = options;
  const near = dotRadius + 3;
  const offsets = clearance > near ? [near, clearance + 3] : [near];
  const placed: PlacedLabel[] = [];
  const dots: Rect[] = [];
  for (const l of requests) {
    if (placed.length >= most) break;
    const dot = square(l.x, l.y, dotRadius);
    if (placed.some((p) => overlaps(p.box, dot, GAP))) continue;
    for (const offset of offsets) {
      const fit = SIDES.map((side) => candidate(l, side, offset)).find(
        ({ box }) =>
          inside(box, width, height) &&
          !placed.some((p) => overlaps(p.box, box, GAP)) &&
          !dots.some((d) => overlaps(d, box, GAP)) &&
          !obstacles.some((o) => overlaps(o, box)),
      );
      if (fit) {
        placed.push({ ...l, ...fit });
        dots.push(dot);
        break;
      }
    }
  }
  return placed;
}
