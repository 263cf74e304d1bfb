import { Body, Controller, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ROLES, type Role } from '@tracklight/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TokenIssuer } from './token-issuer.js';

export class DevLoginDto {
  @IsString()
  @MaxLength(100)
  @Matches(/^[\w.@-]+$/, { message: 'sub may hold letters, digits and . _ @ - only' })
  sub!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
}

/** Development sign-in for the dashboard: off in production (404, as if it did not exist). */
@ApiTags('auth')
@Controller('auth')
export class DevLoginController {
  constructor(
    private readonly issuer: TokenIssuer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('dev-login')
  @ApiOperation({ summary: 'Development sign-in: a JWT for any `sub` (404 in production)' })
  @ApiCreatedResponse({
    description: '`{ "token": "<JWT>" }`, signed for `sub` with the asked roles (default: all three)',
  })
  @ApiBadRequestResponse({ description: 'An invalid `sub` or role, with the failing `fields`' })
  @ApiNotFoundResponse({ description: 'Dev login is off (production, or DEV_LOGIN=off)' })
  login(@Body() body: DevLoginDto): { token: string } {
    if (!this.config.devLogin || !this.issuer.canIssue()) throw new NotFoundException();
    return { token: this.issuer.issue({ sub: body.sub, roles: body.roles ?? ['viewer', 'ops', 'admin'] }) };
  }
}
