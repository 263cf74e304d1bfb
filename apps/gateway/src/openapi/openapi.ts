import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

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
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Serves the interactive docs at /docs and the JSON document at /docs-json. Both are public: they
 * describe the API, they do not call it (the UI asks for a token before "Try it out").
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
