import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAccount } from '#libs/http';
import { AuthenticatedAccount, PayoutAccountView, PayoutEntity, PayoutsService } from '#libs/marketplace';
import { PayoutAccountDto, PayoutRequestDto } from './payouts.dto';

const presentAccount = ({ account, onboardingUrl }: PayoutAccountView) => ({
  providerRef: account.providerRef,
  status: account.status,
  detailsSubmitted: account.detailsSubmitted,
  payoutsEnabled: account.payoutsEnabled,
  onboardingUrl,
  updatedAt: account.updatedAt.toISOString(),
});

const presentPayout = (payout: PayoutEntity) => ({
  id: payout.id,
  status: payout.status,
  amountMinor: payout.amountMinor,
  reversedMinor: payout.reversedMinor,
  currency: payout.currency,
  transferId: payout.transferId,
  failureReason: payout.failureReason,
  createdAt: payout.createdAt.toISOString(),
  updatedAt: payout.updatedAt.toISOString(),
});

/** Owner payouts through Stripe Connect Express: onboarding, then transfers of available earnings. */
@ApiTags('payouts')
@ApiBearerAuth()
@Controller('payouts')
export class PayoutsController {
  constructor(private readonly payouts: PayoutsService) {}

  @Post('account')
  @HttpCode(200)
  async account(@CurrentAccount() owner: AuthenticatedAccount, @Body() body: PayoutAccountDto) {
    return presentAccount(await this.payouts.ensureAccount(owner.id, body));
  }

  @Post()
  async create(@CurrentAccount() owner: AuthenticatedAccount, @Body() body: PayoutRequestDto) {
    return presentPayout(await this.payouts.requestPayout(owner.id, body.currency, body.amountMinor));
  }

  @Get()
  async list(@CurrentAccount() owner: AuthenticatedAccount) {
    return { items: (await this.payouts.list(owner.id)).map(presentPayout) };
  }

  @Get(':id')
  async get(@CurrentAccount() owner: AuthenticatedAccount, @Param('id') id: string) {
    return presentPayout(await this.payouts.get(owner.id, id));
  }
}
