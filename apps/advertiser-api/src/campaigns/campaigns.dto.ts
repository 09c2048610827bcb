import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CAMPAIGN_MAX_TOPICS } from '#libs/marketplace';

export class CreateCampaignDto {
  @ApiProperty({ example: 'Wallet launch' }) @IsString() @MinLength(1) @MaxLength(120) name: string;
  @ApiProperty({ example: ['crypto', 'finance'] }) @IsArray() @ArrayMaxSize(CAMPAIGN_MAX_TOPICS) @IsString({ each: true }) topics: string[];
  @ApiProperty({ example: ['en', 'ru'] })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z]{2,3}$/, { each: true, message: 'languages must be ISO 639 codes' })
  languages: string[];
  @ApiProperty({ example: ['gambling'] }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) excludedTopics: string[];
  @ApiPropertyOptional({ description: "a regulator's ad token (e.g. an ERID), printed in the disclosure label" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'regulatorToken must be 1-64 letters, digits, _ or -' })
  regulatorToken?: string;
}

export class ButtonDto {
  @ApiProperty({ example: 'Open wallet' }) @IsString() @MinLength(1) @MaxLength(64) text: string;
  @ApiProperty({ example: 'https://example.com/wallet' })
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: true }, { message: 'button url must be an https URL' })
  @MaxLength(2048)
  url: string;
}

export class CreateCreativeDto {
  @ApiProperty({ description: 'post text; the disclosure label is appended when posted' }) @IsString() @MaxLength(4096) text: string;
  @ApiPropertyOptional({ enum: ['HTML'] }) @IsOptional() @IsIn(['HTML']) parseMode?: 'HTML';
  @ApiPropertyOptional({ type: [ButtonDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4, { message: 'at most 4 buttons' })
  @ValidateNested({ each: true })
  @Type(() => ButtonDto)
  buttons?: ButtonDto[];
  @ApiPropertyOptional({ example: 'https://example.com/banner.jpg' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'imageUrl must be an https URL' })
  @MaxLength(2048)
  imageUrl?: string;
}
