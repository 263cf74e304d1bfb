import type { AppConfig } from '../../config/app-config.js';
import type { AnomalyRule } from './anomaly-rule.js';
import { DelayedDeliveryRule } from './delayed-delivery.rule.js';
import { ImpossibleTravelRule } from './impossible-travel.rule.js';
import { RouteDeviationRule } from './route-deviation.rule.js';
import { StatusRegressionRule } from './status-regression.rule.js';
import { StuckPackageRule } from './stuck-package.rule.js';

/** Every rule the engine runs, configured. */
export function buildRules(config: AppConfig['anomalies']): AnomalyRule[] {
  return [
    new DelayedDeliveryRule(),
    new StuckPackageRule(config.stuckAfterMs),
    new ImpossibleTravelRule(config.maxSpeedKmh),
    new RouteDeviationRule(config.deviationScans),
    new StatusRegressionRule(),
  ];
}
