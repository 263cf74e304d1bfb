export const ANOMALY_TYPES = [
  'delayed_delivery',
  'stuck_package',
  'impossible_travel',
  'route_deviation',
  'status_regression',
] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];
