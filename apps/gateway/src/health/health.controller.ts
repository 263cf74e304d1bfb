import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthService } from './health.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Unauthenticated on purpose: load balancers probe it. */
  @Get()
  @ApiOperation({ summary: 'Readiness: 200 when storage and the bus answer, else 503 naming what fails' })
  @ApiResponse({ status: 200, description: '`{ "status": "ok" }`' })
  @ApiResponse({ status: 503, description: '`{ "status": "unavailable", "failing": [...] }`' })
  async get(@Res() res: Response): Promise<void> {
    const failing = await this.health.failing();
    if (failing.length) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'unavailable', failing });
      return;
    }
    res.status(HttpStatus.OK).json({ status: 'ok' });
  }
}
