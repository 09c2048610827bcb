import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, present } from '#libs/http';
import { AuthenticatedAccount, ChannelsService, VERIFICATION_INSTRUCTIONS } from '#libs/marketplace';
import { RegisterChannelDto, SetPricingDto } from './channels.dto';

@ApiTags('channels')
@ApiBearerAuth()
@Controller()
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post('channels')
  @ApiOperation({ summary: 'Register a channel: returns a one-time code and what to do with it' })
  async register(@CurrentAccount() account: AuthenticatedAccount, @Body() body: RegisterChannelDto) {
    const channel = await this.channels.register(account.id, body.handle);
    const [view] = await this.channels.withPricing([channel]);
    return { ...present.ownedChannel(view), instructions: VERIFICATION_INSTRUCTIONS(channel.verificationCode) };
  }

  @Post('channels/:id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the bot rights and the code through Telegram; 409 says what is missing' })
  async verify(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    const channel = await this.channels.verify(account.id, id);
    const [view] = await this.channels.withPricing([channel]);
    return present.ownedChannel(view);
  }

  @Get('channels')
  async list(@CurrentAccount() account: AuthenticatedAccount) {
    return { items: (await this.channels.listOwned(account.id)).map(present.ownedChannel) };
  }

  @Get('channels/:id')
  async get(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    const [view] = await this.channels.withPricing([await this.channels.getOwned(account.id, id)]);
    return present.ownedChannel(view);
  }

  @Put('channels/:id/pricing')
  async setPricing(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: SetPricingDto) {
    return present.ownedChannel(await this.channels.setPricing(account.id, id, body.formats));
  }

  @Get('formats')
  @ApiOperation({ summary: 'The formats a channel can price: each is its top and feed durations' })
  async formats() {
    const formats = await this.channels.listFormats();
    return { items: formats.map((format) => ({ code: format.code, topMinutes: format.topMinutes, feedMinutes: format.feedMinutes, description: format.description })) };
  }
}
