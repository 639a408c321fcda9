import type { ModelSnapshot } from '../decision-made.event';

/** A model snapshot for decide() in unit tests: what a DecisionMade records of the model that scored it. */
export const TEST_MODEL_SNAPSHOT: ModelSnapshot = {
  name: 'm',
  version: '1',
  sha256: 'abc',
  inputName: 'input',
  outputNames: ['probabilities'],
  scoreOutput: { name: 'probabilities', column: 1 },
  runtime: { name: 'onnxruntime-node', version: '1.30.0', executionProviders: ['cpu'], sessionOptions: {} },
};
