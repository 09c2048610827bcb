import { Body, Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountKind, AccountsService, AuthenticatedAccount } from '#libs/marketplace';
import { API_AUDIENCE, CurrentAccount, Public } from './auth';
import { CreateAccountDto, CreateApiKeyDto } from './common-dtos';
import { ShowsSecretOnce } from './idempotency.interceptor';
import { present } from './presenters';
import { RateLimiter } from './rate-limiter';

/** Sign-up and key management, the same on both APIs; each creates accounts of its own audience. */
@ApiTags('accounts')
@Controller()
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly limiter: RateLimiter,
    @Inject(API_AUDIENCE) private readonly audience: AccountKind,
  ) {}

  @Public()
  @ShowsSecretOnce()
  @Post('accounts')
  @ApiOperation({ summary: 'Create an account; the API key is shown once' })
  async create(@Body() body: CreateAccountDto) {
    const { account, apiKey } = await this.accounts.createAccount(this.audience, body.email, body.name);
    return { account: present.account(account), apiKey };
  }

  @ApiBearerAuth()
  @Get('account')
  me(@CurrentAccount() account: AuthenticatedAccount) {
    return { id: account.id, kind: account.kind, name: account.name, email: account.email };
  }

  @ApiBearerAuth()
  @Get('api-keys')
  async listKeys(@CurrentAccount() account: AuthenticatedAccount) {
    return { items: (await this.accounts.listKeys(account.id)).map(present.apiKey) };
  }

  @ApiBearerAuth()
  @ShowsSecretOnce()
  @Post('api-keys')
  @ApiOperation({ summary: 'Create another API key; shown once' })
  async createKey(@CurrentAccount() account: AuthenticatedAccount, @Body() body: CreateApiKeyDto) {
    const { key, apiKey } = await this.accounts.createKey(account.id, body.label ?? null);
    return { key: present.apiKey(key), apiKey };
  }

  @ApiBearerAuth()
  @Delete('api-keys/:id')
  @ApiOperation({ summary: 'Revoke an API key' })
  async revokeKey(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    const key = await this.accounts.revokeKey(account.id, id);
    // after the commit, and again on a repeated call: API processes that remember the key see this
    await this.limiter.markRevoked(key.id);
    return present.apiKey(key);
  }
}
