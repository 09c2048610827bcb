import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService } from '#libs/marketplace';
import { CatalogQueryDto } from './catalog.dto';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('channels')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({ summary: 'Verified channels, most subscribers first, keyset-paginated' })
  search(@Query() query: CatalogQueryDto) {
    return this.catalog.search(query);
  }
}
