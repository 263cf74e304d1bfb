import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { APP_CONFIG, type AppConfig } from './app-config.js';

/**
 * The environment is validated once by loadConfig (main.ts, or a test with its own env);
 * @nestjs/config then exposes the typed result under `app`, and APP_CONFIG injects it whole.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      imports: [NestConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ app: config })] })],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
