import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAccount } from '#libs/http';
import { AuthenticatedAccount, BalanceService } from '#libs/marketplace';

@ApiTags('earnings')
@ApiBearerAuth()
@Controller('earnings')
export class EarningsController {
  constructor(private readonly balance: BalanceService) {}

  @Get()
  async get(@CurrentAccount() account: AuthenticatedAccount) {
    return { balances: await this.balance.ownerEarnings(account.id) };
  }
}
