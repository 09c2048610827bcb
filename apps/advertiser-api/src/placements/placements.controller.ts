import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, PlacementListQueryDto, present } from '#libs/http';
import { AuthenticatedAccount, PlacementsService } from '#libs/marketplace';
import { BookPlacementDto } from './placements.dto';

@ApiTags('placements')
@ApiBearerAuth()
@Controller('placements')
export class PlacementsController {
  constructor(private readonly placements: PlacementsService) {}

  @Post()
  @ApiOperation({ summary: 'Book a slot: the price moves into escrow and the owner gets an offer' })
  async book(@CurrentAccount() account: AuthenticatedAccount, @Body() body: BookPlacementDto) {
    return present.placement(await this.placements.book(account.id, { ...body, startsAt: new Date(body.startsAt) }));
  }

  @Get()
  async list(@CurrentAccount() account: AuthenticatedAccount, @Query() query: PlacementListQueryDto) {
    const page = await this.placements.list({ advertiserId: account.id }, query);
    return { items: page.items.map(present.placement), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    return present.placement(await this.placements.getForAdvertiser(account.id, id));
  }

  @Post(':id/cancel')
  @ApiOperation({ summary: 'Cancel while offered or scheduled; the escrow is refunded' })
  async cancel(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    await this.placements.cancel(account.id, id);
    return present.placement(await this.placements.getForAdvertiser(account.id, id));
  }
}
