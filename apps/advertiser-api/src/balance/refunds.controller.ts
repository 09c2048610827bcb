import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAccount } from '#libs/http';
import { AuthenticatedAccount, RefundEntity, RefundsService } from '#libs/marketplace';
import { RefundRequestDto } from './refunds.dto';

const present = (refund: RefundEntity) => ({
  id: refund.id,
  status: refund.status,
  amountMinor: refund.amountMinor,
  currency: refund.currency,
  topUpId: refund.topUpId,
  failureReason: refund.failureReason,
  createdAt: refund.createdAt.toISOString(),
});

/** Unused balance back to the cards it came from (Stripe only): one refund per original payment, oldest first. */
@ApiTags('balance')
@ApiBearerAuth()
@Controller('balance/refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Post()
  async create(@CurrentAccount() account: AuthenticatedAccount, @Body() body: RefundRequestDto) {
    const refunds = await this.refunds.requestRefund(account.id, body.currency, body.amountMinor);
    return { refunds: refunds.map(present), totalMinor: refunds.reduce((sum, refund) => sum + refund.amountMinor, 0), currency: body.currency };
  }

  @Get()
  async list(@CurrentAccount() account: AuthenticatedAccount) {
    return { items: (await this.refunds.list(account.id)).map(present) };
  }
}
