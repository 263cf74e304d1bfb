import {
  BadRequestException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';

/** No route's body comes close: the deepest is a schedule (body, stops, stop). */
export const MAX_BODY_DEPTH = 32;
/** Keys no route uses, and that reach prototypes when code copies or instantiates from them. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why the body is refused, or undefined; walks the parsed JSON without recursion. */
export function bodyShapeProblem(body: unknown): string | undefined {
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) return `The body nests objects or arrays deeper than ${MAX_BODY_DEPTH} levels`;
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) return `The body holds the forbidden key "${key}"`;
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/**
 * Refuses, with 400 and before any validation pipe runs, JSON bodies that are deeply nested or
 * hold `__proto__` / `constructor` / `prototype` keys. Found by test/fuzz-rest: class-transformer
 * recursed into `[[[[...]]]]` until the stack overflowed (500), and instantiated nested objects
 * through their own `constructor` key (500 on POST /schedules). Interceptors run after guards and
 * before pipes, which is exactly the gap to close, for every route at once.
 */
@Injectable()
export class BodyShapeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const problem = bodyShapeProblem(context.switchToHttp().getRequest<{ body?: unknown }>().body);
      if (problem) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problem });
    }
    return next.handle();
  }
}
