import { useEffect, useState, type FormEvent } from 'react';
import type { ScheduleState, TopicMessage } from '@tracklight/client';
import type { ScheduleTopic } from '@tracklight/protocol';
import { useTopic } from '@tracklight/react';
import { api, ApiError, type FieldError } from '../lib/api.js';
import { parseStops, randomStops, routeLines, type StopPoint } from '../lib/routes.js';
import type { RouteLine } from './MapView.js';
import { PlanResult } from './PlanResult.js';

interface Submitted {
  scheduleId: string;
  topic: ScheduleTopic;
  depot: { latitude: number; longitude: number };
  stops: StopPoint[];
}

type Progress = Partial<ScheduleState>;

const reducer = (state: Progress, m: TopicMessage<ScheduleTopic>): Progress => {
  switch (m.type) {
    case 'snapshot':
      return { ...state, ...m.data };
    case 'schedule_progress':
      return { ...state, status: 'running', step: m.data.step, message: m.data.message, progress: m.data.progress };
    case 'schedule_completed':
      return {
        ...state,
        status: 'completed',
        step: m.data.step,
        progress: 100,
        message: m.data.message,
        result: m.data.result,
      };
    case 'schedule_failed':
      return {
        ...state,
        status: m.data.error.code === 'CANCELLED' ? 'cancelled' : 'failed',
        step: m.data.step,
        message: m.data.message,
        error: m.data.error,
      };
  }
};

function ScheduleProgress({
  schedule,
  token,
  onRoutes,
}: {
  schedule: Submitted;
  token: string;
  onRoutes: (routes: RouteLine[]) => void;
}) {
  const state = useTopic(schedule.topic, reducer, { status: 'queued', progress: 0 } as Progress);
  const [cancelError, setCancelError] = useState<string | null>(null);
  useEffect(() => {
    if (state.status === 'completed') onRoutes(routeLines(state.result, schedule.depot, schedule.stops));
  }, [state.status, state.result, schedule, onRoutes]);
  const progress = Math.max(0, Math.min(100, state.progress ?? 0));
  const done = state.status === 'completed' || state.status === 'failed' || state.status === 'cancelled';
  async function cancel() {
    try {
      await api(`/schedules/${encodeURIComponent(schedule.scheduleId)}/cancel`, token, { method: 'POST' });
    } catch (err) {
      setCancelError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <div className="schedule-progress" data-status={state.status}>
      <p>
        <span className="mono">{schedule.scheduleId}</span>: <strong>{state.status}</strong>
        {state.step ? ` · ${state.step}` : ''}
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-label="Schedule progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress}
      >
        <div className={`progress-bar ${state.status ?? ''}`} style={{ width: `${progress}%` }} />
      </div>
      {state.message && <p className="muted">{state.message}</p>}
      {state.status === 'completed' && <PlanResult result={state.result} />}
      {state.error && (
        <p className="error">
          {state.error.code === 'CANCELLED' ? 'Cancelled.' : `The plan failed (${state.error.code}).`}{' '}
          {typeof state.error.details === 'string' ? state.error.details : ''}
        </p>
      )}
      {cancelError && <p className="error">{cancelError}</p>}
      {!done && (
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      )}
    </div>
  );
}

export function SchedulePanel({ token, onRoutes }: { token: string; onRoutes: (routes: RouteLine[]) => void }) {
  const [name, setName] = useState('Morning run');
  const [lat, setLat] = useState('52.5200');
  const [lon, setLon] = useState('13.4050');
  const [vehicles, setVehicles] = useState('2');
  const [strategy, setStrategy] = useState('compare');
  const [stopsText, setStopsText] = useState(() => randomStops({ latitude: 52.52, longitude: 13.405 }, 8));
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  // An edited field's error is stale: it goes as soon as the field changes.
  const edit = (key: string, set: (v: string) => void) => (v: string) => {
    set(v);
    setFieldErrors(({ [key]: _gone, ...rest }) => rest);
    setError(null);
  };
  const fieldError = (key: string) =>
    fieldErrors[key] ? (
      <span className="field-error" id={`err-${key}`}>
        {fieldErrors[key].join('; ')}
      </span>
    ) : null;
  const invalid = (key: string) =>
    fieldErrors[key] ? { 'aria-invalid': true, 'aria-describedby': `err-${key}` } : { 'aria-invalid': false };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setFieldErrors({});
    const stops = parseStops(stopsText);
    if (stops instanceof Error) return setFieldErrors({ stops: [stops.message] });
    const depot = { latitude: Number(lat), longitude: Number(lon) };
    try {
      const reply = await api<{ scheduleId: string; topic: ScheduleTopic }>('/schedules', token, {
        method: 'POST',
        body: { name, depot, vehicles: Number(vehicles), stops, strategy },
      });
      onRoutes([]);
      setSubmitted({ scheduleId: reply.scheduleId, topic: reply.topic, depot, stops });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) setFieldErrors(byInput(err.fields, stops));
      else setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="panel schedule" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Plan deliveries</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => edit('name', setName)(e.target.value)}
            maxLength={100}
            {...invalid('name')}
          />
          {fieldError('name')}
        </label>
        <div className="row">
          <label>
            Depot latitude
            <input
              value={lat}
              onChange={(e) => edit('depot.latitude', setLat)(e.target.value)}
              inputMode="decimal"
              {...invalid('depot.latitude')}
            />
            {fieldError('depot.latitude')}
          </label>
          <label>
            Depot longitude
            <input
              value={lon}
              onChange={(e) => edit('depot.longitude', setLon)(e.target.value)}
              inputMode="decimal"
              {...invalid('depot.longitude')}
            />
            {fieldError('depot.longitude')}
          </label>
          <label>
            Vehicles
            <input
              type="number"
              value={vehicles}
              onChange={(e) => edit('vehicles', setVehicles)(e.target.value)}
              {...invalid('vehicles')}
            />
            {fieldError('vehicles')}
          </label>
          <label>
            Strategy
            <select value={strategy} onChange={(e) => setStrategy(e.target.value)}>
              <option value="compare">compare</option>
              <option value="savings">savings</option>
              <option value="sweep">sweep</option>
            </select>
          </label>
        </div>
        <label>
          Stops (id, latitude, longitude per line)
          <textarea
            value={stopsText}
            onChange={(e) => edit('stops', setStopsText)(e.target.value)}
            rows={5}
            spellCheck={false}
            {...invalid('stops')}
          />
          {fieldError('stops')}
        </label>
        <div className="row">
          <button
            type="button"
            onClick={() =>
              edit('stops', setStopsText)(randomStops({ latitude: Number(lat) || 0, longitude: Number(lon) || 0 }, 8))
            }
          >
            Random stops
          </button>
          <button type="submit">Plan</button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {submitted && (
        <ScheduleProgress key={submitted.scheduleId} schedule={submitted} token={token} onRoutes={onRoutes} />
      )}
    </section>
  );
}

/**
 * Puts each failing field of a 400 next to the input it came from, in words: `stops[2].latitude`
 * becomes "Stop S3 (line 3): latitude must be ..." under the stops box.
 */
function byInput(fields: FieldError[], stops: StopPoint[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of fields) {
    const stop = /^stops\[(\d+)\]\.?(.*)$/.exec(f.field);
    const key = stop
      ? 'stops'
      : ['name', 'depot.latitude', 'depot.longitude', 'vehicles', 'strategy'].includes(f.field)
        ? f.field
        : 'stops';
    const text = stop
      ? `Stop ${stops[Number(stop[1])]?.id ?? Number(stop[1]) + 1} (line ${Number(stop[1]) + 1}): ${f.errors.join('; ')}`
      : f.errors.join('; ');
    (out[key] ??= []).push(key === 'stops' && !stop && f.field !== 'stops' ? `${f.field}: ${text}` : text);
  }
  return out;
}
