import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, IsUUID, MaxLength } from 'class-validator';

export class BookPlacementDto {
  @ApiProperty() @IsUUID() channelId: string;
  @ApiProperty() @IsUUID() creativeId: string;
  @ApiProperty({ example: '1/24' }) @IsString() @MaxLength(10) format: string;
  @ApiProperty({ example: '2026-12-01T10:00:00Z' }) @IsISO8601({ strict: true }, { message: 'startsAt must be an ISO-8601 time' }) startsAt: string;
}
