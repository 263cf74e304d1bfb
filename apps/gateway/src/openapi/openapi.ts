import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Request } from 'express';
import { ROLES_EXTENSION } from '../auth/auth.decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { publicServer } from './public-server.js';

/**
 * Completes what @Auth() declared: 401 on every protected route, 403 where roles are required,
 * and an explicit `security: []` on the routes that take no token, so generated clients and
 * Swagger UI send the token exactly where it is needed.
 */
function completeSecurity(doc: OpenAPIObject): void {
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      const roles = (op as { [ROLES_EXTENSION]?: string[] })[ROLES_EXTENSION];
      if (!roles) {
        op.security ??= [];
        continue;
      }
      if (!op.security?.length) op.security = [{ bearer: [] }];
      op.responses[401] ??= { description: 'Missing, malformed, expired or wrongly signed token' };
      if (roles.length) op.responses[403] ??= { description: `The token has none of the roles: ${roles.join(', ')}` };
    }
  }
}

/** The OpenAPI document of every decorated controller, built from the running application. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tracklight HTTP API')
    .setDescription(
      'REST side of the Tracklight gateway (docs/PROTOCOL.md section 5). Every route takes a JWT as ' +
        '`Authorization: Bearer`; a missing token is 401, a wrong role 403, an invalid body 400 with ' +
        'the failing `fields`, an unknown entity 404. Realtime events go over the WebSocket endpoints.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    // Replaced per request by the address the caller used (see setupOpenApi).
    .addServer('/')
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  completeSecurity(doc);
  return doc;
}

/**
 * Serves the interactive docs at /docs and the JSON document at /docs-json. Both are public: they
 * describe the API, they do not call it (the UI asks for a token before "Try it out").
 */
export function setupOpenApi(app: INestApplication): void {
  const { ws } = app.get<AppConfig>(APP_CONFIG);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
    patchDocumentOnRequest: (req, _res, document) => {
      const { host, secure } = publicServer(req as Request, ws.trustProxy);
      return { ...document, servers: [{ url: `${secure ? 'https' : 'http'}://${host}` }] };
    },
  });
}
