import { CustomerBehaviour } from './customer-behaviour';
import { FraudInjector } from './fraud-scenarios';
import { buildPopulation } from './population';
import { Random } from './prng';
import { type LabeledTransaction, resolveSimulationOptions, type SimulationOptions } from './simulation-options';
import { type TransactionDraft, toLabeledTransaction } from './transaction-draft';

/**
 * Streams labelled card transactions in occurredAt order, one simulated day at a time (memory stays bounded by a
 * day's traffic). Same seed and options give the same output, byte for byte: every random draw comes from a
 * seeded stream, per purpose and per day.
 */
export function* simulateTransactions(options: SimulationOptions): Generator<LabeledTransaction> {
  const resolved = resolveSimulationOptions(options);
  const population = buildPopulation(resolved.seed, resolved.customers, resolved.terminals);
  const behaviour = new CustomerBehaviour(population, resolved.startEpochSeconds);
  const fraud = new FraudInjector(resolved, population);
  let n = 0;
  for (let day = 0; day < resolved.days; day++) {
    const fraudRng = Random.forStream(resolved.seed, `fraud:${day}`);
    const dayRng = Random.forStream(resolved.seed, `day:${day}`);
    const drafts: TransactionDraft[] = fraud.planDay(day, fraudRng);
    const firstGenuine = drafts.length;
    for (const customer of population.customers) behaviour.day(customer, day, dayRng, drafts);
    for (let i = firstGenuine; i < drafts.length; i++) fraud.inspect(drafts[i]!, day, fraudRng);
    // Array.prototype.sort is stable, so equal timestamps keep their (deterministic) generation order.
    drafts.sort((a, b) => a.time - b.time);
    for (const draft of drafts) yield toLabeledTransaction(draft, `sim-${resolved.seed}-${n++}`);
  }
}
