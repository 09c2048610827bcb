import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, notFound } from '#libs/common';
import { withTransaction } from '#libs/database';
import { AccountEntity, AccountKind, ApiKeyEntity } from './account.entities';
import { generateApiKey, hashApiKey, kindOfKey } from './api-key';

export interface AuthenticatedAccount {
  id: string;
  kind: AccountKind;
  name: string;
  email: string;
  keyId: string;
}

export interface CreatedKey {
  key: ApiKeyEntity;
  apiKey: string;
}

@Injectable()
export class AccountsService {
  constructor(private readonly dataSource: DataSource) {}

  async createAccount(kind: AccountKind, email: string, name: string): Promise<{ account: AccountEntity; apiKey: string }> {
    return withTransaction(this.dataSource, async (manager) => {
      const account = await manager.save(AccountEntity, manager.create(AccountEntity, { kind, email: email.trim().toLowerCase(), name: name.trim() }));
      const { apiKey } = await this.insertKey(manager, account, 'default');
      return { account, apiKey };
    });
  }

  async createKey(accountId: string, label: string | null): Promise<CreatedKey> {
    const account = await this.dataSource.manager.findOneByOrFail(AccountEntity, { id: accountId });
    return this.insertKey(this.dataSource.manager, account, label);
  }

  listKeys(accountId: string): Promise<ApiKeyEntity[]> {
    return this.dataSource.manager.find(ApiKeyEntity, { where: { accountId }, order: { createdAt: 'ASC' } });
  }

  async revokeKey(accountId: string, keyId: string): Promise<ApiKeyEntity> {
    const key = await this.dataSource.manager.findOneBy(ApiKeyEntity, { id: keyId, accountId });
    if (!key) throw notFound('API key');
    if (key.revokedAt === null) {
      await this.dataSource.manager.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [keyId]);
    }
    return this.dataSource.manager.findOneByOrFail(ApiKeyEntity, { id: keyId });
  }

  /** Resolves a bearer key for an API that serves one audience; anything else is a 401. */
  async authenticate(rawKey: string | undefined, audience: AccountKind): Promise<AuthenticatedAccount> {
    if (!rawKey || kindOfKey(rawKey) !== audience) throw new DomainError(ErrorCode.Unauthorized);
    const rows: { account_id: string; key_id: string; kind: AccountKind; name: string; email: string }[] = await this.dataSource.query(
      `SELECT k.account_id, k.id AS key_id, a.kind, a.name, a.email
         FROM api_keys k JOIN accounts a ON a.id = k.account_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashApiKey(rawKey)],
    );
    const row = rows[0];
    if (!row || row.kind !== audience) throw new DomainError(ErrorCode.Unauthorized);
    return { id: row.account_id, kind: row.kind, name: row.name, email: row.email, keyId: row.key_id };
  }

  private async insertKey(manager: DataSource['manager'], account: AccountEntity, label: string | null): Promise<CreatedKey> {
    const apiKey = generateApiKey(account.kind);
    const key = await manager.save(
      ApiKeyEntity,
      manager.create(ApiKeyEntity, { accountId: account.id, displayPrefix: apiKey.slice(0, 12), keyHash: hashApiKey(apiKey), label }),
    );
    return { key, apiKey };
  }
}
