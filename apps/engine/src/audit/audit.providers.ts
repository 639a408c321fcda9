import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';
import { AuditStartup } from './audit-startup';
import { AUDIT_SIGNING_KEY } from './audit.tokens';
import { EventProofs } from './event-proofs';
import { SealChain } from './seal-chain';
import { SealerThread } from './sealer-thread';
import { SEAL_INDEX, type SealIndex } from './seal-index.port';
import { loadSigningKey, type SigningKey } from './signing-key-file';

/** The sealer (on its own thread), its key, the seal index (SEAL_INDEX) and the proofs, wired from the configuration. */
export function auditProviders(config: VerdictConfig, logger: Logger): Provider[] {
  const { sealIntervalSeconds, sealMaxEvents, sealKeyPath, sealKeyExplicit } = config.audit;
  return [
    {
      provide: AUDIT_SIGNING_KEY,
      useFactory: () => {
        const key = loadSigningKey(sealKeyPath, !sealKeyExplicit);
        if (key.created) logger.warn({ file: key.file, keyId: key.keyId }, 'created an audit signing key (back it up; set VERDICT_SEAL_KEY to use your own)');
        return key;
      },
    },
    { provide: SealChain, useFactory: (store: EventStore) => new SealChain(store, sealIntervalSeconds * 1000), inject: [EVENT_STORE] },
    { provide: SEAL_INDEX, useExisting: SealChain },
    {
      // Depends on the key so that the key file exists (created on first start) before the thread loads it.
      provide: SealerThread,
      useFactory: (key: SigningKey) =>
        new SealerThread({ eventStore: config.eventStore, keyPath: key.file, intervalMs: sealIntervalSeconds * 1000, maxEvents: sealMaxEvents, backgroundNice: config.threads.backgroundNice }, logger),
      inject: [AUDIT_SIGNING_KEY],
    },
    AuditStartup,
    { provide: EventProofs, useFactory: (store: EventStore, seals: SealIndex) => new EventProofs(store, seals), inject: [EVENT_STORE, SEAL_INDEX] },
  ];
}
