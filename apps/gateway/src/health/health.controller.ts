import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthService } from './health.service.js';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Unauthenticated on purpose: load balancers probe it. */
  @Get()
  async get(@Res() res: Response): Promise<void> {
    const failing = await this.health.failing();
    if (failing.length) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'unavailable', failing });
      return;
    }
    res.status(HttpStatus.OK).json({ status: 'ok' });
  }
}
