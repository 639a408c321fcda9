import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import { deriveKeys, envelopeValues, isPersonalField, protectParameters, pseudonymsIn, revealRequest, revealValue, type DecisionMade } from '@verdict/domain';
import { createSubjectKeyStore, SubjectVault, type SubjectKeyStore } from '@verdict/subject-keys';
import { loadMasterKey } from './master-key-file';

/** How often an instance looks for erasures made by others, to drop what it cached of them. */
const FOLLOW_MS = 1000;

/**
 * The engine's side of personal data: the vault (pseudonyms, envelopes, subject keys), reads that show clear values
 * while a subject's key lives, and a follower of other instances' erasures.
 */
export class PersonalData {
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private following: Promise<void> | undefined;

  /** Use open(). */
  constructor(
    readonly vault: SubjectVault,
    private readonly store: SubjectKeyStore,
    private readonly log: Logger,
  ) {}

  static async open(config: VerdictConfig, log: Logger): Promise<PersonalData> {
    const { key, created } = loadMasterKey(config.privacy.masterKeyPath, !config.privacy.masterKeyExplicit);
    if (created) log.warn({ file: config.privacy.masterKeyPath }, 'created the master key for personal data: back it up with the data; without it no personal value can be read');
    const store = await createSubjectKeyStore(config.privacy.keyStore);
    const vault = new SubjectVault(store, deriveKeys(key), config.privacy);
    await vault.checkMasterKey().catch(async (e: unknown) => {
      await store.close();
      throw e;
    });
    const data = new PersonalData(vault, store, log);
    data.sequence = await data.lastSequence();
    data.timer = setInterval(() => void (data.following ??= data.follow().finally(() => (data.following = undefined))), FOLLOW_MS);
    data.timer.unref();
    return data;
  }

  /**
   * A decision as a reader sees it: its request's personal values in the clear, from its own envelope, or ERASED when
   * that envelope's key is gone. Never from the identity directory: a subject that came back after an erasure has the
   * same pseudonyms again, and its new values must not re-identify decisions made before the erasure.
   */
  async revealDecision<T extends DecisionMade>(event: T): Promise<T> {
    if (!event.personal || pseudonymsIn(event.request).length === 0) return event;
    const values = await this.vault.openEnvelope(event.personal, event.decisionId);
    return { ...event, request: revealRequest(event.request, envelopeValues(event.request, values)) };
  }

  /**
   * Read-model rows with personal fields (cardId, customerId…) shown in the clear through the identity directory, or
   * ERASED. The read models have already replaced the pseudonyms of rows logged before an erasure by ERASED.
   */
  async revealRows<T extends object>(rows: readonly T[], fields: readonly (keyof T)[]): Promise<T[]> {
    const values = rows.flatMap((row) => fields.map((f) => row[f]).filter((v): v is T[keyof T] & string => typeof v === 'string'));
    if (values.length === 0) return [...rows];
    const clear = await this.vault.reveal(values as string[]);
    return rows.map((row) => {
      const out = { ...row } as Record<keyof T, unknown>;
      for (const f of fields) if (typeof row[f] === 'string') out[f] = revealValue(row[f] as string, clear);
      return out as T;
    });
  }

  /** A filter value as the read models hold it: its pseudonym when the field is personal. */
  filterValue(field: 'cardId' | 'customerId' | 'deviceId' | 'ip', value: string): string {
    return isPersonalField(field, this.vault.policy) ? this.vault.pseudonyms.field(field, value) : value;
  }

  /** A read's parameters as the access log keeps them: personal values as their pseudonyms (they outlive an erasure). */
  accessParameters(parameters: Record<string, unknown>): Record<string, unknown> {
    return protectParameters(parameters, this.vault.policy, this.vault.pseudonyms);
  }

  /**
   * A list filter with its personal values (cardId, customerId) as the read models hold them: the pseudonym, or the
   * value itself for decisions stored before v4 (their requests are in the clear).
   */
  listFilter<T extends { readonly cardId?: string | readonly string[]; readonly customerId?: string | readonly string[] }>(filter: T): T {
    const either = (field: 'cardId' | 'customerId', value: string | readonly string[] | undefined) =>
      value === undefined ? {} : { [field]: [...new Set([value].flat().flatMap((v) => [this.filterValue(field, v), v]))] };
    return { ...filter, ...either('cardId', filter.cardId), ...either('customerId', filter.customerId) };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.following;
    await this.store.close();
  }

  private async lastSequence(): Promise<number> {
    let last = 0;
    for (;;) {
      const page = await this.store.erasuresAfter(last, 500);
      if (page.length === 0) return last;
      last = (page.at(-1) as { sequence: number }).sequence;
    }
  }

  private async follow(): Promise<void> {
    try {
      for (;;) {
        const page = await this.vault.erasuresAfter(this.sequence);
        for (const record of page) {
          this.vault.forget(record);
          this.sequence = record.sequence;
        }
        if (page.length < 500) return;
      }
    } catch (error) {
      this.log.warn({ err: error }, 'could not read erasures from the subject key store; will try again');
    }
  }
}
