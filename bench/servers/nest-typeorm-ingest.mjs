// Reference for S9: the ingest endpoint the way a team would write it with NestJS and TypeORM,
// without any of Tracklight's tuning. A controller with class-validator DTOs through the
// ValidationPipe, a JWT guard, and a service that runs each scan in a repository transaction:
// find the package, look the scan id up, check the status rules (Tracklight's own function),
// save the scan, save the package. A batch is a loop over the same service call. SQLite with the
// same durability as Tracklight (WAL, synchronous=FULL). Written without TypeScript: decorators
// by hand.
import 'reflect-metadata';
import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  Injectable,
  Module,
  NotFoundException,
  Param,
  Post,
  UnauthorizedException,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EntitySchema } from 'typeorm';
import { serveControl } from '../lib/harness.mjs';
import { verifyJwt } from '../lib/common.mjs';
import { ingestSchema } from './ingest-schema.mjs';

const build = resolve(process.env.TRACKLIGHT_BUILD ?? 'bench/results/build');
const { checkTransition } = await import(
  pathToFileURL(join(build, 'apps/gateway/src/packages/package-transitions.js')).href
);
const STATUSES = [
  'created',
  'picked_up',
  'in_transit',
  'at_facility',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
];

/**
 * @param {string} name
 * @param {import('typeorm').ColumnType} type
 * @param {{ nullable?: boolean }} [extra]
 */
const col = (name, type, extra = {}) => ({ name, type, ...extra });
/**
 * @typedef {{
 *   id: string,
 *   trackingNumber: string,
 *   carrier: string,
 *   status: string,
 *   statusBeforeException: string | null,
 *   originName: string,
 *   originLatitude: number,
 *   originLongitude: number,
 *   destinationName: string,
 *   destinationLatitude: number,
 *   destinationLongitude: number,
 *   location: string,
 *   latitude: number,
 *   longitude: number,
 *   estimatedDeliveryMs: number,
 *   lastScanMs: number,
 *   createdAtMs: number,
 *   deliveredAtMs: number | null,
 *   version: number,
 * }} PackageEntity
 */
/** @type {EntitySchema<PackageEntity>} */
const Package = new EntitySchema({
  name: 'Package',
  tableName: 'packages',
  columns: {
    id: { primary: true, type: 'varchar' },
    trackingNumber: col('tracking_number', 'varchar'),
    carrier: col('carrier', 'varchar'),
    status: col('status', 'varchar'),
    statusBeforeException: col('status_before_exception', 'varchar', { nullable: true }),
    originName: col('origin_name', 'varchar'),
    originLatitude: col('origin_latitude', 'double precision'),
    originLongitude: col('origin_longitude', 'double precision'),
    destinationName: col('destination_name', 'varchar'),
    destinationLatitude: col('destination_latitude', 'double precision'),
    destinationLongitude: col('destination_longitude', 'double precision'),
    location: col('location', 'varchar'),
    latitude: col('latitude', 'double precision'),
    longitude: col('longitude', 'double precision'),
    estimatedDeliveryMs: col('estimated_delivery_ms', 'bigint'),
    lastScanMs: col('last_scan_ms', 'bigint'),
    createdAtMs: col('created_at_ms', 'bigint'),
    deliveredAtMs: col('delivered_at_ms', 'bigint', { nullable: true }),
    version: col('version', 'integer'),
  },
});
/**
 * @typedef {{
 *   id: number,
 *   packageId: string,
 *   status: string,
 *   location: string,
 *   latitude: number,
 *   longitude: number,
 *   scannedAtMs: number,
 *   recordedAtMs: number,
 *   scanId: string | null,
 * }} ScanEntity
 */
/** @type {EntitySchema<ScanEntity>} */
const PackageScan = new EntitySchema({
  name: 'PackageScan',
  tableName: 'package_scans',
  columns: {
    id: { primary: true, type: 'integer', generated: 'increment' },
    packageId: col('package_id', 'varchar'),
    status: col('status', 'varchar'),
    location: col('location', 'varchar'),
    latitude: col('latitude', 'double precision'),
    longitude: col('longitude', 'double precision'),
    scannedAtMs: col('scanned_at_ms', 'bigint'),
    recordedAtMs: col('recorded_at_ms', 'bigint'),
    scanId: col('scan_id', 'varchar', { nullable: true }),
  },
});

/**
 * @param {object} target
 * @param {string} key
 * @param {...PropertyDecorator} decorators
 */
const decorate = (target, key, ...decorators) => {
  for (const d of decorators) d(target, key);
};

/**
 * The bodies the DTO classes below validate (the classes carry no fields of their own).
 * @typedef {{ name: string, latitude: number, longitude: number }} Place
 * @typedef {{ trackingNumber: string, carrier: string, origin: Place, destination: Place, estimatedDelivery: string }} CreatePackageBody
 * @typedef {{ status: string, location: string, latitude: number, longitude: number, scannedAt?: string, scanId?: string }} ScanBody
 * @typedef {{ scans: (ScanBody & { trackingNumber: string })[] }} BatchBody
 */

class ScanDto {}
decorate(ScanDto.prototype, 'status', IsIn(STATUSES));
decorate(ScanDto.prototype, 'location', IsString(), IsNotEmpty(), MaxLength(200));
decorate(ScanDto.prototype, 'latitude', IsNumber({ allowNaN: false, allowInfinity: false }), IsLatitude());
decorate(ScanDto.prototype, 'longitude', IsNumber({ allowNaN: false, allowInfinity: false }), IsLongitude());
decorate(ScanDto.prototype, 'scannedAt', IsOptional(), IsISO8601({ strict: true }));
decorate(ScanDto.prototype, 'scanId', IsOptional(), IsString(), Length(1, 64));

class BatchItemDto extends ScanDto {}
decorate(BatchItemDto.prototype, 'trackingNumber', IsString(), Length(1, 100));

class BatchDto {}
decorate(
  BatchDto.prototype,
  'scans',
  IsArray(),
  ArrayMinSize(1),
  ArrayMaxSize(1000),
  ValidateNested({ each: true }),
  Type(() => BatchItemDto),
);

class PlaceDto {}
decorate(PlaceDto.prototype, 'name', IsString(), IsNotEmpty());
decorate(PlaceDto.prototype, 'latitude', IsNumber(), IsLatitude());
decorate(PlaceDto.prototype, 'longitude', IsNumber(), IsLongitude());
class CreatePackageDto {}
decorate(CreatePackageDto.prototype, 'trackingNumber', IsString(), Length(1, 100));
decorate(CreatePackageDto.prototype, 'carrier', IsString(), IsNotEmpty());
decorate(
  CreatePackageDto.prototype,
  'origin',
  ValidateNested(),
  Type(() => PlaceDto),
);
decorate(
  CreatePackageDto.prototype,
  'destination',
  ValidateNested(),
  Type(() => PlaceDto),
);
decorate(CreatePackageDto.prototype, 'estimatedDelivery', IsISO8601());

class OpsGuard {
  /** @param {import('@nestjs/common').ExecutionContext} context */
  canActivate(context) {
    /** @type {import('node:http').IncomingMessage} */
    const req = context.switchToHttp().getRequest();
    const claims = verifyJwt(
      (req.headers.authorization ?? '').replace(/^Bearer /, ''),
      // the runner always passes the run's secret
      /** @type {string} */ (process.env.JWT_SECRET),
    );
    if (!claims) throw new UnauthorizedException();
    if (!claims.roles?.some((r) => r === 'ops' || r === 'admin')) throw new ForbiddenException();
    return true;
  }
}
Injectable()(OpsGuard);

class ScansService {
  /** @param {import('typeorm').DataSource} dataSource */
  constructor(dataSource) {
    this.db = dataSource;
  }

  /** @param {CreatePackageBody} dto */
  async create(dto) {
    const now = Date.now();
    const pkg = {
      id: randomUUID(),
      trackingNumber: dto.trackingNumber,
      carrier: dto.carrier,
      status: 'created',
      statusBeforeException: null,
      originName: dto.origin.name,
      originLatitude: dto.origin.latitude,
      originLongitude: dto.origin.longitude,
      destinationName: dto.destination.name,
      destinationLatitude: dto.destination.latitude,
      destinationLongitude: dto.destination.longitude,
      location: dto.origin.name,
      latitude: dto.origin.latitude,
      longitude: dto.origin.longitude,
      estimatedDeliveryMs: Date.parse(dto.estimatedDelivery),
      lastScanMs: now,
      createdAtMs: now,
      deliveredAtMs: null,
      version: 1,
    };
    await this.db.transaction(async (m) => {
      await m.getRepository(Package).save(pkg);
      await m.getRepository(PackageScan).save({
        packageId: pkg.id,
        status: 'created',
        location: pkg.location,
        latitude: pkg.latitude,
        longitude: pkg.longitude,
        scannedAtMs: now,
        recordedAtMs: now,
      });
    });
    return pkg;
  }

  /**
   * @param {string} trackingNumber
   * @param {ScanBody} dto
   */
  scan(trackingNumber, dto) {
    return this.db.transaction(async (m) => {
      const packages = m.getRepository(Package);
      const scans = m.getRepository(PackageScan);
      const pkg = await packages.findOne({ where: { trackingNumber } });
      if (!pkg) throw new NotFoundException(`No package ${trackingNumber}`);
      if (dto.scanId && (await scans.findOne({ where: { packageId: pkg.id, scanId: dto.scanId } }))) return pkg;
      const check = checkTransition(pkg.status, dto.status, pkg.statusBeforeException ?? undefined);
      if (!check.ok) throw new ConflictException({ allowed: check.allowed });
      const now = Date.now();
      const scannedAtMs = dto.scannedAt ? Date.parse(dto.scannedAt) : now;
      await scans.save({
        packageId: pkg.id,
        status: dto.status,
        location: dto.location,
        latitude: dto.latitude,
        longitude: dto.longitude,
        scannedAtMs,
        recordedAtMs: now,
        scanId: dto.scanId ?? null,
      });
      Object.assign(pkg, {
        status: dto.status,
        statusBeforeException: check.beforeException ?? null,
        location: dto.location,
        latitude: dto.latitude,
        longitude: dto.longitude,
        lastScanMs: scannedAtMs,
        version: pkg.version + 1,
      });
      return packages.save(pkg);
    });
  }
}
Injectable()(ScansService);
Inject(getDataSourceToken())(ScansService, undefined, 0);

class ScansController {
  /** @param {ScansService} service */
  constructor(service) {
    this.service = service;
  }

  /** @param {CreatePackageBody} body */
  create(body) {
    return this.service.create(body);
  }

  /**
   * @param {string} trackingNumber
   * @param {ScanBody} body
   */
  scan(trackingNumber, body) {
    return this.service.scan(trackingNumber, body);
  }

  /** @param {BatchBody} body */
  async batch(body) {
    /** @type {{ index: number, status: number, body: unknown }[]} */
    const results = [];
    for (const [index, item] of body.scans.entries()) {
      const { trackingNumber, ...scan } = item;
      try {
        results.push({ index, status: 201, body: await this.service.scan(trackingNumber, scan) });
      } catch (err) {
        results.push({ index, status: err.getStatus?.() ?? 500, body: err.getResponse?.() ?? String(err) });
      }
    }
    return { results };
  }
}
const proto = ScansController.prototype;
/**
 * @param {'create' | 'scan' | 'batch'} name
 * @param {...MethodDecorator} decorators
 */
const method = (name, ...decorators) => {
  const descriptor = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(proto, name));
  for (const d of decorators) d(proto, name, descriptor);
};
method('create', Post('packages'), HttpCode(201));
Body()(proto, 'create', 0);
Reflect.defineMetadata('design:paramtypes', [CreatePackageDto], proto, 'create');
method('scan', Post('packages/:trackingNumber/scans'), HttpCode(201));
Param('trackingNumber')(proto, 'scan', 0);
Body()(proto, 'scan', 1);
Reflect.defineMetadata('design:paramtypes', [String, ScanDto], proto, 'scan');
method('batch', Post('scans'), HttpCode(200));
Body()(proto, 'batch', 0);
Reflect.defineMetadata('design:paramtypes', [BatchDto], proto, 'batch');
UseGuards(OpsGuard)(ScansController);
Controller()(ScansController);
Inject(ScansService)(ScansController, undefined, 0);

class AppModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: join(process.env.DATA_DIR ?? '.', 'nest-typeorm.sqlite'),
      entities: [Package, PackageScan],
      synchronize: false,
      enableWAL: true,
      prepareDatabase: (db) => {
        db.pragma('synchronous = FULL');
        for (const sql of ingestSchema('sqlite')) db.exec(sql);
      },
    }),
  ],
  controllers: [ScansController],
  providers: [ScansService, OpsGuard],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
serveControl({ publish: () => {}, port: app.getHttpServer().address().port });
