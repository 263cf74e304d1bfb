import { useEffect, useState, type RefObject } from 'react';
import type { Rect } from './place-labels.js';

export interface ViewSize {
  width: number;
  height: number;
  /** Where the zoom buttons sit over the map, relative to its top left. */
  tools?: Rect;
}

/**
 * The map's size on screen, followed as the layout changes: labels are sized and spaced in screen
 * pixels. Undefined until measured, and where nothing is laid out (jsdom).
 */
export function useViewSize(svgRef: RefObject<SVGSVGElement | null>, toolsRef: RefObject<HTMLElement | null>) {
  const [size, setSize] = useState<ViewSize | undefined>(undefined);
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const measure = () => {
      const r = svg.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) return;
      const t = toolsRef.current?.getBoundingClientRect();
      const tools =
        t && t.width > 0 ? { x: t.left - r.left, y: t.top - r.top, width: t.width, height: t.height } : undefined;
      setSize((prev) =>
        prev && JSON.stringify(prev) === JSON.stringify({ width: r.width, height: r.height, tools })
          ? prev
          : { width: r.width, height: r.height, tools },
      );
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(svg);
    return () => observer.disconnect();
  }, [svgRef, toolsRef]);
  return size;
}
