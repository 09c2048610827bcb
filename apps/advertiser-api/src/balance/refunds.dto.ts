import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class RefundRequestDto {
  @ApiProperty({ example: 'USD' }) @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in capitals' }) currency: string;
  @ApiPropertyOptional({ example: 5000, description: 'minor units; all unused refundable balance when omitted' })
  @IsOptional() @IsInt() @Min(1) @Max(100_000_000_00) amountMinor?: number;
}
