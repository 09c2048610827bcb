import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class ReconciliationRequestDto {
  @ApiPropertyOptional({ description: 'period start (inclusive); 24 h before `to` when omitted' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'period end (exclusive); now when omitted' }) @IsOptional() @IsISO8601() to?: string;
}
