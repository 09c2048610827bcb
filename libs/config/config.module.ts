import { Global, Module } from '@nestjs/common';
import { parseConfig, PlacardConfig } from './env.schema';

export const PLACARD_CONFIG = Symbol('PLACARD_CONFIG');

@Global()
@Module({
  providers: [{ provide: PLACARD_CONFIG, useFactory: (): PlacardConfig => parseConfig() }],
  exports: [PLACARD_CONFIG],
})
export class ConfigModule {}
