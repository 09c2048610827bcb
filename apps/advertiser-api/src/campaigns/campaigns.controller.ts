import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, present } from '#libs/http';
import { AuthenticatedAccount, CampaignsService, RecommendationsService } from '#libs/marketplace';
import { BRAND_SAFETY_IDS, TOPIC_IDS } from '#libs/topics';
import { CreateCampaignDto, CreateCreativeDto } from './campaigns.dto';

const VOCABULARY = { targetable: new Set<string>(TOPIC_IDS), excludable: new Set<string>([...TOPIC_IDS, ...BRAND_SAFETY_IDS]) };

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly recommendations: RecommendationsService,
  ) {}

  @Post()
  async create(@CurrentAccount() account: AuthenticatedAccount, @Body() body: CreateCampaignDto) {
    return present.campaign(await this.campaigns.createCampaign(account.id, body, VOCABULARY));
  }

  @Get()
  async list(@CurrentAccount() account: AuthenticatedAccount) {
    return { items: (await this.campaigns.listCampaigns(account.id)).map(present.campaign) };
  }

  @Get(':id')
  async get(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string) {
    return present.campaign(await this.campaigns.getCampaign(account.id, id));
  }

  @Post(':id/creatives')
  @ApiOperation({ summary: "Add a creative; checked against Telegram's limits with the disclosure label included" })
  async createCreative(
    @CurrentAccount() account: AuthenticatedAccount,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateCreativeDto,
  ) {
    return present.creative(await this.campaigns.createCreative(account.id, account.name, id, body));
  }

  @Get(':id/recommendations')
  @ApiOperation({ summary: 'Verified channels ranked by contextual fit, each score explained' })
  @ApiOkResponse({ description: '`{"items": [...]}`: each channel\'s catalog card with its `score` and `reasons`' })
  @Header('Content-Type', 'application/json; charset=utf-8') // the service writes the JSON text itself
  recommend(@CurrentAccount() account: AuthenticatedAccount, @Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return this.recommendations.forCampaign(account.id, id);
  }
}
