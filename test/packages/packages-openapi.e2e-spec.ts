import { startApp, type TestApp } from '../support/app.js';

describe('OpenAPI at /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the interactive docs', async () => {
    const res = await fetch(`${t.http}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('swagger');
  });

  it('describes the package and notification routes with bearer auth', async () => {
    const res = await fetch(`${t.http}/docs-json`);
    expect(res.status).toBe(200);
    const doc = JSON.parse(await res.text());
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/packages',
        '/packages/{trackingNumber}',
        '/packages/{trackingNumber}/scans',
        '/notifications',
      ]),
    );
    expect(Object.keys(doc.paths['/packages'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/packages'].post.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths['/packages/{trackingNumber}/scans'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409']),
    );
    const create = doc.components.schemas.CreatePackageDto;
    expect(create.required).toEqual(
      expect.arrayContaining(['trackingNumber', 'carrier', 'origin', 'destination', 'estimatedDelivery']),
    );
    expect(doc.components.schemas.CreateScanDto.properties.status.enum).toContain('out_for_delivery');
    const listParams = doc.paths['/packages'].get.parameters.map((p: { name: string }) => p.name);
    expect(listParams).toEqual(expect.arrayContaining(['status', 'limit', 'cursor']));
  });
});
