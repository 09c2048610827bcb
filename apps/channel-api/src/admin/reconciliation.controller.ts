import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '#libs/common';
import { OperatorGuard, Public } from '#libs/http';
import { ReconciliationReportEntity, ReconciliationService } from '#libs/marketplace';
import { ReconciliationRequestDto } from './reconciliation.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

const present = (report: ReconciliationReportEntity) => ({
  id: report.id,
  status: report.status,
  trigger: report.trigger,
  periodFrom: report.periodFrom.toISOString(),
  periodTo: report.periodTo.toISOString(),
  ledgerCount: report.ledgerCount,
  stripeCount: report.stripeCount,
  differences: report.differences,
  error: report.error,
  createdAt: report.createdAt.toISOString(),
  finishedAt: report.finishedAt?.toISOString() ?? null,
});

/** Ledger vs Stripe reconciliation, for operators (operator API keys only; `npm run operator:create` makes one). */
@ApiTags('admin')
@ApiBearerAuth()
@Public()
@UseGuards(OperatorGuard)
@Controller('admin/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get()
  async recent() {
    const reports = await this.reconciliation.recent();
    const latest = reports.find((report) => report.status !== 'queued');
    return { latest: latest ? present(latest) : null, items: reports.map(present) };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return present(await this.reconciliation.get(id));
  }

  /** Queues a run now (the worker's `reconcile` job); poll GET …/:id for the result. */
  @Post()
  @HttpCode(202)
  async run(@Body() body: ReconciliationRequestDto) {
    const to = body.to ? new Date(body.to) : new Date();
    const from = body.from ? new Date(body.from) : new Date(to.getTime() - DAY_MS);
    if (!(from < to)) throw new DomainError(ErrorCode.ValidationFailed, '`from` must be before `to`.');
    return present(await this.reconciliation.schedule({ from, to }, 'operator'));
  }
}
