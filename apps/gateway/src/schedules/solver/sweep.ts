import type { Problem } from './problem.js';
import { sequenceStops } from './sequence.js';

/**
 * Sweep construction: stops sorted by polar angle around the depot are cut into one sector per
 * vehicle with balanced work (travel from the depot plus service), starting at the widest empty
 * angle so no cluster is split needlessly; each sector is then sequenced.
 */
export function sweep(p: Problem): number[][] {
  const geo = p.geo;
  const nodes = Array.from({ length: p.n }, (_, i) => i + 1);
  const angle = new Float64Array(p.n + 1);
  const radius = new Float64Array(p.n + 1);
  for (const s of nodes) {
    angle[s] = geo.angle(0, s);
    radius[s] = geo.km(0, s);
  }
  nodes.sort((a, b) => angle[a] - angle[b] || radius[a] - radius[b] || a - b);
  let gapAt = 0;
  let widest = -1;
  for (let k = 0; k < nodes.length; k++) {
    const next = k + 1 < nodes.length ? angle[nodes[k + 1]] : angle[nodes[0]] + 2 * Math.PI;
    const gap = next - angle[nodes[k]];
    if (gap > widest) {
      widest = gap;
      gapAt = (k + 1) % nodes.length;
    }
  }
  const ordered = [...nodes.slice(gapAt), ...nodes.slice(0, gapAt)];
  const work = ordered.map((s) => geo.minutes(0, s) + p.service[s] + 1);
  const total = work.reduce((a, b) => a + b, 0);
  const sectors = Math.min(p.vehicles, ordered.length);
  const groups: number[][] = Array.from({ length: sectors }, () => []);
  let acc = 0;
  ordered.forEach((s, k) => {
    // The sector is chosen by the midpoint of this stop's work, so sectors carry even shares.
    const g = Math.min(sectors - 1, Math.floor(((acc + work[k] / 2) / total) * sectors));
    groups[g].push(s);
    acc += work[k];
  });
  return groups.filter((g) => g.length).map((g) => sequenceStops(p, g));
}
