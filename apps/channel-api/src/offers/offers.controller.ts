import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { CurrentAccount, PlacementListQueryDto, present } from '#libs/http';
import { AuthenticatedAccount, PlacementsService } from '#libs/marketplace';

export class RejectOfferDto {
  @ApiProperty({ example: 'does not fit the channel' }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

@ApiTags('offers')
@ApiBearerAuth()
@Controller('offers')
export class OffersController {
  constructor(private readonly placements: PlacementsService) {}

  @Get()
  @ApiOperation({ summary: 'Placements offered to your channels, with the exact text that will be posted' })
  async list(@CurrentAccount() account: AuthenticatedAccount, @Query() query: PlacementListQueryDto) {
    const page = await this.placements.list({ ownerId: account.id }, query);
    return { items: page.items.map(present.placement), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    return present.placement(await this.placements.getForOwner(account.id, id));
  }

  @Post(':id/accept')
  @HttpCode(200)
  async accept(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    await this.placements.accept(account.id, id);
    return present.placement(await this.placements.getForOwner(account.id, id));
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RejectOfferDto) {
    await this.placements.reject(account.id, id, body.reason);
    return present.placement(await this.placements.getForOwner(account.id, id));
  }
}
