import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';

export class TopUpDto {
  @ApiProperty({ example: 50000, description: 'minor units' }) @IsInt() @Min(1) @Max(100_000_000_00) amountMinor: number;
  @ApiProperty({ example: 'USD' }) @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in capitals' }) currency: string;
}
