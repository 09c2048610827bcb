import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { CurrentAccount, OperatorGuard, Public, present } from '#libs/http';
import { AuthenticatedAccount, PlacementsService } from '#libs/marketplace';

export class ResolveReviewDto {
  @ApiProperty({ enum: ['delivered', 'undelivered'], description: 'delivered pays the owner; undelivered refunds the advertiser' })
  @IsIn(['delivered', 'undelivered'])
  outcome: 'delivered' | 'undelivered';
  @ApiProperty({ example: 'the post is in the channel since 10:00, unchanged' }) @IsString() @MinLength(3) @MaxLength(500) reason: string;
}

/** Placements the worker could not decide (e.g. a crash between a send and its record), for operators. */
@ApiTags('admin')
@ApiBearerAuth()
@Public()
@UseGuards(OperatorGuard)
@Controller('admin/placements')
export class ReviewController {
  constructor(private readonly placements: PlacementsService) {}

  @Get()
  @ApiOperation({ summary: 'Placements waiting for review, oldest first' })
  async waiting() {
    const items = await this.placements.listForReview();
    return { items: await Promise.all(items.map(async (placement) => present.placement(await this.placements.getAny(placement.id)))) };
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decide a placement in needs_review: delivered (pay the owner) or undelivered (refund)' })
  async resolve(@CurrentAccount() operator: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: ResolveReviewDto) {
    await this.placements.resolveReview(id, body.outcome, body.reason, operator.id);
    return present.placement(await this.placements.getAny(id));
  }
}
