/**
 * `package:TN123` -> `package:*`: label values must stay few (one time series per tracking number
 * or schedule would grow Prometheus without bound).
 */
export function topicFamily(topic: string): string {
  const colon = topic.indexOf(':');
  return colon < 0 ? topic : `${topic.slice(0, colon + 1)}*`;
}

interface Family {
  /** `package:` for parameterised topics, the whole topic otherwise. */
  prefix: string;
  label: string;
  byType: Map<string, number>;
}

/**
 * Events per topic family and type, bumped once per bus event. The family is found by comparing
 * the topic with the few families already seen (a handful of characters) instead of building
 * `family + ' ' + type` and hashing that fresh string for every event.
 */
export class EventCounts {
  private readonly families: Family[] = [];

  add(topic: string, type: string): void {
    const byType = this.familyOf(topic).byType;
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }

  /** [family label, type, count] for the scrape. */
  *entries(): IterableIterator<[string, string, number]> {
    for (const f of this.families) for (const [type, n] of f.byType) yield [f.label, type, n];
  }

  private familyOf(topic: string): Family {
    for (const f of this.families) {
      const p = f.prefix;
      if (topic.length >= p.length && topic.startsWith(p) && (p.endsWith(':') || topic.length === p.length)) return f;
    }
    const colon = topic.indexOf(':');
    const family: Family = {
      prefix: colon < 0 ? topic : topic.slice(0, colon + 1),
      label: topicFamily(topic),
      byType: new Map(),
    };
    this.families.push(family);
    return family;
  }
}
