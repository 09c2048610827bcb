import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, present } from '#libs/http';
import { AuthenticatedAccount, BalanceService } from '#libs/marketplace';
import { TopUpDto } from './balance.dto';

@ApiTags('balance')
@ApiBearerAuth()
@Controller('balance')
export class BalanceController {
  constructor(private readonly balance: BalanceService) {}

  @Get()
  async get(@CurrentAccount() account: AuthenticatedAccount) {
    return { balances: await this.balance.advertiserBalances(account.id) };
  }

  @Post('top-ups')
  async topUp(@CurrentAccount() account: AuthenticatedAccount, @Body() body: TopUpDto) {
    return present.topUp(await this.balance.topUp(account.id, body.amountMinor, body.currency));
  }
}
