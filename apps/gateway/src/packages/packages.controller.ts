import { Body, Controller, UseInterceptors, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators.js';
import { StoredWrite } from '../bus/outbox/stored-write.decorator.js';
import { IngestBacklogInterceptor } from './ingest-backlog.interceptor.js';
import { CreatePackageDto } from './dto/create-package.dto.js';
import { CreateScanDto } from './dto/create-scan.dto.js';
import { ListPackagesQuery } from './dto/list-packages.query.js';
import { DEFAULT_SCAN_PAGE, ListScansQuery } from './dto/list-scans.query.js';
import {
  PackagePageResponse,
  PackageResponse,
  ScanPageResponse,
  TransitionConflictResponse,
} from './dto/package-response.dto.js';
import { packageNotFound } from './package-errors.js';
import type { PackageView } from './package-view.js';
import { PackagesService, type PackagePage, type ScanRequest } from './packages.service.js';
import { ScanBodyPipe } from './scan-body.pipe.js';
import { ScanHistoryService, type ScanPage } from './scan-history.service.js';
import { TrackingNumberPipe } from './tracking-number.pipe.js';

@ApiTags('packages')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@ApiBadRequestResponse({ description: 'Invalid input; `fields` lists the failing fields' })
@Controller('packages')
export class PackagesController {
  constructor(
    private readonly packages: PackagesService,
    private readonly history: ScanHistoryService,
  ) {}

  @Post()
  @StoredWrite()
  @Auth('ops', 'admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a package; publishes package_update (status created)' })
  @ApiCreatedResponse({ type: PackageResponse })
  @ApiForbiddenResponse({ description: 'Requires ops or admin' })
  @ApiConflictResponse({ description: 'The tracking number exists' })
  create(@Body() body: CreatePackageDto): Promise<PackageView> {
    return this.packages.create(body);
  }

  @Post(':trackingNumber/scans')
  @StoredWrite()
  @Auth('ops', 'admin')
  @UseInterceptors(IngestBacklogInterceptor)
  @ApiTooManyRequestsResponse({ description: 'Ingest backlog full; retry after Retry-After' })
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a scan; publishes package_update and map_update' })
  @ApiBody({ type: CreateScanDto })
  @ApiCreatedResponse({ type: PackageResponse, description: 'The package after the scan' })
  @ApiOkResponse({
    type: PackageResponse,
    description: 'The scanId was already applied: the state that scan produced; nothing published',
  })
  @ApiForbiddenResponse({ description: 'Requires ops or admin' })
  @ApiNotFoundResponse({ description: 'Unknown tracking number' })
  @ApiConflictResponse({ type: TransitionConflictResponse, description: 'Not allowed from the current status' })
  async scan(
    @Param('trackingNumber', TrackingNumberPipe) trackingNumber: string,
    @Body(ScanBodyPipe) body: ScanRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PackageView> {
    const result = await this.packages.record(trackingNumber, body);
    if (result.replayed) res.status(200);
    return result.view;
  }

  @Get(':trackingNumber/scans')
  @Auth()
  @ApiOperation({ summary: 'Every scan of the package, oldest first, paged with an opaque cursor' })
  @ApiOkResponse({ type: ScanPageResponse })
  @ApiNotFoundResponse({ description: 'Unknown tracking number' })
  scans(
    @Param('trackingNumber', TrackingNumberPipe) trackingNumber: string,
    @Query() query: ListScansQuery,
  ): Promise<ScanPage> {
    return this.history.page(trackingNumber, query.limit ?? DEFAULT_SCAN_PAGE, query.cursor);
  }

  @Get(':trackingNumber')
  @Auth()
  @ApiOperation({ summary: 'Current state with the last scans (the package:{trackingNumber} snapshot)' })
  @ApiOkResponse({ type: PackageResponse })
  @ApiNotFoundResponse({ description: 'Unknown tracking number' })
  async get(@Param('trackingNumber', TrackingNumberPipe) trackingNumber: string): Promise<PackageView> {
    const view = await this.packages.get(trackingNumber);
    if (!view) throw packageNotFound(trackingNumber);
    return view;
  }

  @Get()
  @Auth()
  @ApiOperation({ summary: 'Packages, newest first, paged with an opaque cursor' })
  @ApiOkResponse({ type: PackagePageResponse })
  list(@Query() query: ListPackagesQuery): Promise<PackagePage> {
    return this.packages.list({ status: query.status, carrier: query.carrier }, query.limit ?? 20, query.cursor);
  }
}
