import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { DevLoginController } from './dev-login.controller.js';
import { HttpAuthGuard } from './http-auth.guard.js';
import { TokenIssuer } from './token-issuer.js';
import { TokenVerifier } from './token-verifier.js';

/** Global so every feature controller can use @Auth() without importing this module. */
@Global()
@Module({
  imports: [JwtModule.register({})],
  controllers: [DevLoginController],
  providers: [TokenVerifier, TokenIssuer, HttpAuthGuard],
  exports: [TokenVerifier, TokenIssuer, HttpAuthGuard, JwtModule],
})
export class AuthModule {}
