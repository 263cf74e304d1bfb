import type { Problem } from './problem.js';

/**
 * Orders one vehicle's stops by a time-oriented nearest neighbour (after Solomon's I1 family):
 * the next stop weighs travel, waiting and how close its window is to closing, so tight windows
 * are served before they lapse and stops without windows fill the gaps.
 */
export function sequenceStops(p: Problem, stops: readonly number[]): number[] {
  const geo = p.geo;
  const left = [...stops];
  const out: number[] = [];
  // Stops without a window rank as if their window closed at the latest deadline of the instance.
  let horizon = 0;
  for (const s of stops) if (Number.isFinite(p.windowEnd[s])) horizon = Math.max(horizon, p.windowEnd[s]);
  let cur = 0;
  let t = 0;
  while (left.length) {
    let best = -1;
    let bestKey = Infinity;
    for (let k = 0; k < left.length; k++) {
      const s = left[k];
      const travel = geo.minutes(cur, s);
      const arrival = t + travel;
      const deadline = Number.isFinite(p.windowEnd[s]) ? p.windowEnd[s] : Math.max(horizon, arrival);
      // A stop that is already lost goes last: serving it now would only make others late too.
      const lapsed = arrival > deadline ? 1e9 : 0;
      const wait = Math.max(0, p.windowStart[s] - arrival);
      const key = lapsed + 0.4 * travel + 0.4 * wait + 0.2 * (deadline - arrival);
      if (key < bestKey || (key === bestKey && s < left[best])) {
        bestKey = key;
        best = k;
      }
    }
    const s = left[best];
    left.splice(best, 1);
    const arrival = t + geo.minutes(cur, s);
    t = Math.max(arrival, p.windowStart[s]) + p.service[s];
    cur = s;
    out.push(s);
  }
  return out;
}
