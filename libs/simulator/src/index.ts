export { simulateTransactions } from './simulate-transactions';
export {
  DEFAULT_FRAUD_SETTINGS,
  FRAUD_SCENARIOS,
  resolveSimulationOptions,
  SimulationOptionsError,
  type FraudScenario,
  type FraudSettings,
  type LabeledTransaction,
  type ResolvedSimulationOptions,
  type SimulationOptions,
  type TransactionLabel,
} from './simulation-options';
export { Random, deriveSeed } from './prng';
export { COUNTRIES, type Country } from './countries';
export { HIGH_RISK_MCCS, MERCHANT_CATEGORIES, type MerchantCategory } from './merchant-categories';
export { nightShift } from './traffic-shift';
