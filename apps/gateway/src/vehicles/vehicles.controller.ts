import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { VehiclePosition } from '@tracklight/protocol';
import { Auth } from '../auth/auth.decorators.js';
import { RequiresBus } from '../bus/requires-bus.decorator.js';
import { PositionDto } from './dto/position.dto.js';
import { VehicleIdPipe } from './vehicle-id.pipe.js';
import { VehiclesService } from './vehicles.service.js';

const POSITION = '`{ vehicleId, latitude, longitude, speedKmh?, heading?, reportedAt }`';

@ApiTags('vehicles')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('vehicles')
export class VehiclesController {
  constructor(private readonly vehicles: VehiclesService) {}

  @Post(':vehicleId/positions')
  @RequiresBus()
  @Auth('ops', 'admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report a vehicle position; publishes vehicle_position on vehicle_positions and vehicle:{id}',
  })
  @ApiOkResponse({ description: POSITION })
  @ApiBadRequestResponse({ description: 'Invalid vehicleId or body; `fields` lists the failing fields' })
  @ApiForbiddenResponse({ description: 'Requires ops or admin' })
  report(@Param('vehicleId', VehicleIdPipe) vehicleId: string, @Body() body: PositionDto): Promise<VehiclePosition> {
    return this.vehicles.report(vehicleId, body);
  }

  @Get()
  @Auth()
  @ApiOperation({ summary: 'Every known vehicle with its latest position' })
  @ApiOkResponse({ description: `\`{ items: [${POSITION}] }\`` })
  async list(): Promise<{ items: VehiclePosition[] }> {
    return { items: await this.vehicles.list() };
  }

  @Get(':vehicleId')
  @Auth()
  @ApiOperation({ summary: 'One vehicle: the same object as its vehicle:{vehicleId} snapshot' })
  @ApiOkResponse({ description: POSITION })
  @ApiNotFoundResponse({ description: 'No such vehicle' })
  async get(@Param('vehicleId', VehicleIdPipe) vehicleId: string): Promise<VehiclePosition> {
    const position = await this.vehicles.get(vehicleId);
    if (!position) throw new NotFoundException(`vehicle ${vehicleId} not found`);
    return position;
  }
}
