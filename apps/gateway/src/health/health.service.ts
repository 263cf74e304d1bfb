import { Injectable } from '@nestjs/common';

export type HealthCheck = () => Promise<boolean> | boolean;

/** Dependencies (storage, Redis) register a check; /health and system_health read them all. */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();
  private connectionCounter: () => number = () => 0;

  /** The gateway reports its live connection count here, for system_health. */
  setConnectionCounter(counter: () => number): void {
    this.connectionCounter = counter;
  }

  connections(): number {
    return this.connectionCounter();
  }

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  /** Names of the dependencies that are down right now; empty when all is well. */
  async failing(): Promise<string[]> {
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          return (await check()) ? undefined : name;
        } catch {
          return name;
        }
      }),
    );
    return results.filter((n): n is string => n !== undefined);
  }
}
