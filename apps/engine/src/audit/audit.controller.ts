import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { EventProof } from '@verdict/domain/audit';
import { keyIdOf } from '@verdict/domain/audit';
import { publicKeyFromPem, readPublishedKeys, verifyEventStore, WorkerRangeChecker, type PublishedKey, type VerificationReport } from '@verdict/audit';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { SAFE_ID } from '@verdict/domain';
import { DecisionLocator } from '../decisions/decision-locator';
import { ProblemException } from '../http/problem.exception';
import { validBody } from '../http/validate-body';
import { EVENT_STORE, VERDICT_CONFIG } from '../infrastructure/tokens';
import { verificationRequestSchema } from './audit-bodies';
import { EventProofs } from './event-proofs';
import { AUDIT_SIGNING_KEY } from './audit.tokens';
import type { SigningKey } from './signing-key-file';
import { Roles } from '../access/route-roles';
import { RecordsAccess } from '../access/access-recording.interceptor';

/** Auditors' endpoints: the public keys, a verification of the whole store, and one decision's inclusion proof. */
@Controller()
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: SigningKey,
    private readonly proofs: EventProofs,
    private readonly locator: DecisionLocator,
  ) {}

  @Roles('audit')
  @Get('v1/audit/keys')
  async keys(): Promise<{ activeKeyId: string; keys: PublishedKey[] }> {
    return { activeKeyId: this.key.keyId, keys: (await readPublishedKeys(this.store)).keys };
  }

  /**
   * Recomputes every seal from the stored events, now (200 with the report, clean or not). The ranges are hashed on a
   * thread of their own with its own store connection, so a long verification does not hold up decisions.
   */
  @Roles('audit')
  @Post('v1/audit/verifications')
  @HttpCode(200)
  async verify(@Body() body: unknown): Promise<VerificationReport> {
    const request = validBody(verificationRequestSchema, body ?? {});
    let trustedKeys: Map<string, KeyObject> | undefined;
    if (request.publicKeys) {
      trustedKeys = new Map();
      for (const [i, pem] of request.publicKeys.entries()) {
        const key = publicKeyFromPem(pem);
        if (key === null) throw new ProblemException('validation-failed', 'The request has 1 invalid field(s).', { errors: [{ path: `/publicKeys/${i}`, message: 'is not an Ed25519 public key in PEM form' }] });
        trustedKeys.set(keyIdOf(key), createPublicKey(pem));
      }
    }
    const checker = new WorkerRangeChecker(this.config.eventStore, 1, this.config.threads.backgroundNice);
    try {
      return await verifyEventStore(this.store, { trustedKeys, checker, concurrency: 2 });
    } finally {
      await checker.close();
    }
  }

  @Roles('audit')
  @RecordsAccess()
  @Get('v1/decisions/:decisionId/proof')
  async proof(@Param('decisionId') decisionId: string): Promise<EventProof> {
    const event = SAFE_ID.test(decisionId) ? await this.locator.find(decisionId) : null;
    if (!event) throw new ProblemException('decision-not-found', `No decision "${decisionId}" has been recorded.`);
    return this.proofs.proofOf(event);
  }
}
