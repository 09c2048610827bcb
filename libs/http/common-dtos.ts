import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateAccountDto {
  @ApiProperty({ example: 'ads@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Acme Wallet' }) @IsString() @MinLength(1) @MaxLength(120) name: string;
}

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'ci' }) @IsOptional() @IsString() @MaxLength(60) label?: string;
}

export const PLACEMENT_STATUSES = ['offered', 'scheduled', 'published', 'completed', 'rejected', 'expired', 'cancelled', 'failed', 'needs_review'] as const;

export class PlacementListQueryDto {
  @ApiPropertyOptional({ enum: PLACEMENT_STATUSES }) @IsOptional() @IsIn(PLACEMENT_STATUSES) status?: (typeof PLACEMENT_STATUSES)[number];
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
