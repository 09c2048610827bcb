import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class RegisterChannelDto {
  @ApiProperty({ enum: ['telegram'] }) @IsIn(['telegram']) platform: 'telegram';
  @ApiProperty({ example: '@my_channel', description: '@username or numeric chat id' }) @IsString() @MaxLength(64) handle: string;
}

export class PriceDto {
  @ApiProperty({ example: '1/24' }) @IsString() @MaxLength(10) format: string;
  @ApiProperty({ example: 25000 }) @IsInt() @Min(1) @Max(100_000_000_00) priceMinor: number;
  @ApiProperty({ example: 'USD' }) @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in capitals' }) currency: string;
}

export class SetPricingDto {
  @ApiProperty({ type: [PriceDto] }) @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => PriceDto) formats: PriceDto[];
}
