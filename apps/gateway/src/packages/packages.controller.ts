import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators.js';
import { StoredWrite } from '../bus/outbox/stored-write.decorator.js';
import { CreatePackageDto } from './dto/create-package.dto.js';
import { CreateScanDto } from './dto/create-scan.dto.js';
import { ListPackagesQuery } from './dto/list-packages.query.js';
import { PackagePageResponse, PackageResponse, TransitionConflictResponse } from './dto/package-response.dto.js';
import { packageNotFound } from './package-errors.js';
import type { PackageView } from './package-view.js';
import { PackagesService, type PackagePage } from './packages.service.js';
import { TrackingNumberPipe } from './tracking-number.pipe.js';

@ApiTags('packages')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@ApiBadRequestResponse({ description: 'Invalid input; `fields` lists the failing fields' })
@Controller('packages')
export class PackagesController {
  constructor(private readonly packages: PackagesService) {}

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
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a scan; publishes package_update and map_update' })
  @ApiCreatedResponse({ type: PackageResponse, description: 'The package after the scan' })
  @ApiForbiddenResponse({ description: 'Requires ops or admin' })
  @ApiNotFoundResponse({ description: 'Unknown tracking number' })
  @ApiConflictResponse({ type: TransitionConflictResponse, description: 'Not allowed from the current status' })
  scan(
    @Param('trackingNumber', TrackingNumberPipe) trackingNumber: string,
    @Body() body: CreateScanDto,
  ): Promise<PackageView> {
    return this.packages.scan(trackingNumber, body);
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
