import { useEffect, useState } from 'react';
import { localTime } from '../lib/format.js';
import { WorldMap } from '../map/WorldMap.js';
import { Legend } from '../components/MapView.js';
import { loadMovements, positionsAt, type Movement } from './playback.js';

const SPEEDS = [1, 5, 10, 30, 60];
const HOURS = [1, 3, 6, 12, 24];
const TICK_MS = 100;

/** Replays the package movements of the last hours on the map, at 1× to 60×. */
export function PlaybackView({ token }: { token: string }) {
  const [hours, setHours] = useState(1);
  const [speed, setSpeed] = useState(60);
  const [movements, setMovements] = useState<Movement[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [t, setT] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setMovements(null);
    setError(null);
    setPlaying(false);
    loadMovements(token, hours, ctrl.signal).then(
      (m) => {
        setMovements(m);
        setT(m[0]?.at ?? Date.now());
      },
      (err: Error) => !ctrl.signal.aborted && setError(err.message),
    );
    return () => ctrl.abort();
  }, [token, hours]);

  const start = movements?.[0]?.at ?? 0;
  const end = movements?.length ? movements[movements.length - 1].at : 0;
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setT((now) => {
        const next = now + TICK_MS * speed;
        if (next >= end) setPlaying(false);
        return Math.min(next, end);
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, speed, end]);

  const pins = movements ? positionsAt(movements, t) : [];
  return (
    <section className="panel playback" aria-labelledby="playback-title">
      <h2 id="playback-title">Playback</h2>
      <div className="filters">
        <label>
          Last
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {h} h
              </option>
            ))}
          </select>
        </label>
        <label>
          Speed
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!movements?.length}
          onClick={() => {
            if (!playing && t >= end) setT(start);
            setPlaying(!playing);
          }}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!movements && !error && <p className="muted">Loading the history…</p>}
      {movements && (
        <>
          <label>
            Time: <output data-time={t}>{movements.length ? localTime(new Date(t).toISOString()) : '–'}</output>
            <input
              type="range"
              min={start}
              max={end || start + 1}
              step={1000}
              value={t}
              onChange={(e) => setT(Number(e.target.value))}
              aria-label="Playback time"
            />
          </label>
          <p className="muted" data-movements={movements.length}>
            {movements.length} movements of {new Set(movements.map((m) => m.pin.trackingNumber)).size} packages;{' '}
            {pins.length} shown.
          </p>
        </>
      )}
      <WorldMap label={`Playback map with ${pins.length} packages`} pins={pins} />
      <Legend pins={pins} />
    </section>
  );
}
