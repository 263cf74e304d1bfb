import { ROUTE_COLOURS } from '../map/status-colours.js';

interface Kpis {
  totalDistanceKm: number;
  makespanMinutes: number;
  onTimeRate: number;
  lateStops: number;
  vehiclesUsed: number;
}
interface PlannedStop {
  stopId: string;
  sequence: number;
  arrivalMinutes: number;
  onTime: boolean;
}
interface Result {
  strategy: string;
  candidates?: { strategy: string; kpis: Kpis }[];
  routes: { vehicle: number; stops: PlannedStop[]; distanceKm: number; durationMinutes: number }[];
  kpis: Kpis;
}

const duration = (minutes: number) => {
  const m = Math.round(minutes);
  return m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min` : `${m} min`;
};
const pct = (n: number) => `${Math.round(n * 100)}%`;

function isResult(r: unknown): r is Result {
  return !!r && typeof r === 'object' && Array.isArray((r as Result).routes) && !!(r as Result).kpis;
}

/** A finished plan in words: its figures, the strategies compared and which won, each vehicle's stops. */
export function PlanResult({ result }: { result: unknown }) {
  if (!isResult(result)) return null;
  const { kpis } = result;
  return (
    <div className="plan-result" data-strategy={result.strategy}>
      <dl className="facts">
        <div>
          <dt title="Sum of every route, depot to depot">Total distance</dt>
          <dd>{kpis.totalDistanceKm.toFixed(1)} km</dd>
        </div>
        <div>
          <dt title="When the last vehicle is back at the depot">Makespan</dt>
          <dd>{duration(kpis.makespanMinutes)}</dd>
        </div>
        <div>
          <dt title="Stops served within their time window">On time</dt>
          <dd>
            {pct(kpis.onTimeRate)} <span className="muted">({kpis.lateStops} late)</span>
          </dd>
        </div>
        <div>
          <dt>Vehicles used</dt>
          <dd>{kpis.vehiclesUsed}</dd>
        </div>
      </dl>
      {result.candidates && (
        <table className="compact-table compare">
          <caption>Strategies compared (the winner has the best score)</caption>
          <thead>
            <tr>
              <th scope="col">Strategy</th>
              <th scope="col">Distance</th>
              <th scope="col">Makespan</th>
              <th scope="col">On time</th>
              <th scope="col">Vehicles</th>
            </tr>
          </thead>
          <tbody>
            {result.candidates.map((c) => (
              <tr
                key={c.strategy}
                className={c.strategy === result.strategy ? 'winner' : ''}
                data-winner={c.strategy === result.strategy}
              >
                <th scope="row">
                  {c.strategy}
                  {c.strategy === result.strategy && <span className="badge winner-badge">winner</span>}
                </th>
                <td>{c.kpis.totalDistanceKm.toFixed(1)} km</td>
                <td>{duration(c.kpis.makespanMinutes)}</td>
                <td>{pct(c.kpis.onTimeRate)}</td>
                <td>{c.kpis.vehiclesUsed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="route-lists">
        {result.routes.map((r, i) => (
          <div key={r.vehicle} className="route-list">
            <h3>
              <span
                className="swatch"
                style={{ background: ROUTE_COLOURS[r.vehicle % ROUTE_COLOURS.length] }}
                aria-hidden="true"
              />{' '}
              Vehicle {i + 1}{' '}
              <span className="muted">
                {r.stops.length} stops · {r.distanceKm.toFixed(1)} km · back after {duration(r.durationMinutes)}
              </span>
            </h3>
            <ol>
              {[...r.stops]
                .sort((a, b) => a.sequence - b.sequence)
                .map((s) => (
                  <li key={s.stopId}>
                    <span className="mono">{s.stopId}</span> at +{duration(s.arrivalMinutes)}
                    {!s.onTime && <span className="badge severity-high">late</span>}
                  </li>
                ))}
            </ol>
          </div>
        ))}
      </div>
    </div>
  );
}
