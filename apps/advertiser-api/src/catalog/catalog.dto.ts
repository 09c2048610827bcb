import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class CatalogQueryDto {
  @ApiPropertyOptional({ example: 'crypto' }) @IsOptional() @IsString() @MaxLength(40) topic?: string;
  @ApiPropertyOptional({ example: 'ru' }) @IsOptional() @Matches(/^[a-z]{2,3}$/, { message: 'language must be an ISO 639 code' }) language?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) minSubscribers?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) maxPriceMinor?: number;
  @ApiPropertyOptional({ example: '1/24' }) @IsOptional() @IsString() @MaxLength(10) format?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
