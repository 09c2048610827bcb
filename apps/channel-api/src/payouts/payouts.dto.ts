import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';

export class PayoutAccountDto {
  @ApiPropertyOptional({ description: 'where Stripe sends the owner after onboarding' }) @IsOptional() @IsUrl({ require_tld: false }) returnUrl?: string;
  @ApiPropertyOptional({ description: 'where Stripe sends the owner when the link expired' }) @IsOptional() @IsUrl({ require_tld: false }) refreshUrl?: string;
}

export class PayoutRequestDto {
  @ApiProperty({ example: 'USD' }) @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in capitals' }) currency: string;
  @ApiPropertyOptional({ example: 9000, description: 'minor units; all available earnings when omitted' })
  @IsOptional() @IsInt() @Min(1) @Max(100_000_000_00) amountMinor?: number;
}
