import { PACKAGE_STATUSES, type PackageStatus } from '@tracklight/protocol';

/** One colour per status, distinguishable side by side; the legend writes the status out too. */
export const STATUS_COLOURS: Record<PackageStatus, string> = {
  created: '#6b7a89',
  picked_up: '#0b5cad',
  in_transit: '#1f8fe0',
  at_facility: '#7a3fb0',
  out_for_delivery: '#e08a00',
  delivered: '#1b7a1b',
  exception: '#c0002b',
  returned: '#8a4b00',
};

export const STATUS_ORDER: readonly PackageStatus[] = PACKAGE_STATUSES;

/** Route colours: ten hues far apart, so neighbouring vehicles never share one. */
export const ROUTE_COLOURS = [
  '#d62728',
  '#1f77b4',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f00',
  '#393b79',
];
