import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildFeatureVector } from '@verdict/domain';
import { sharedDataAvailable, sharedDataPath } from '../../test/support/shared-data';
import { loadAwsColdstart, toDecisionRequest } from './aws-coldstart';
import { evaluateAwsColdstart, runEvaluateAwsCommand } from './evaluate-aws';
import type { ModelManifest } from './model-manifest';

const root = path.resolve(__dirname, '..', '..');
const csvParts = ['aws-fraud-coldstart', 'transaction_data_2K_coldstart.csv'];
const csv = sharedDataPath(...csvParts);
const maybe = sharedDataAvailable('AWS cold-start external check', ...csvParts) ? describe : describe.skip;
const modelDirOf = (version: string) => path.join(root, 'models', 'fraud-demo', version);

const row = (over: Record<string, string>): Record<string, string> => ({
  EVENT_LABEL: '1',
  EVENT_TIMESTAMP: '2022-12-24T03:53:30Z',
  EVENT_ID: '101208c0a99b601c4b11a8fb8fedc75d6',
  ENTITY_ID: '070-69-2161',
  card_bin: '304027',
  billing_country: 'US',
  ip_address: '25.45.36.165',
  user_agent: 'Opera/9.84.(X11; Linux i686; raj-IN) Presto/2.9.173 Version/10.00',
  product_category: 'shopping_net',
  order_price: '733.5',
  payment_currency: 'BIF',
  merchant: 'fraud_Gerlach Inc',
  ...over,
});

describe('AWS cold-start mapping', () => {
  it('maps an online row to an ecom request with ip, a user-agent device id and the card country', () => {
    const r = toDecisionRequest(row({}));
    expect(r).toMatchObject({
      transactionId: '101208c0a99b601c4b11a8fb8fedc75d6',
      occurredAt: '2022-12-24T03:53:30Z',
      amount: 733.5,
      channel: 'ecom',
      merchantCategory: '5999',
      ip: '25.45.36.165',
      attributes: { cardCountry: 'US' },
    });
    expect(r.deviceId).toMatch(/^ua-[0-9a-f]{16}$/);
    expect(r.country).toBeUndefined();
    const [amount, cnp, night] = buildFeatureVector(r, ['amount', 'card_not_present', 'is_night']);
    expect([amount, cnp, night]).toEqual([733.5, 1, 1]);
  });

  it('maps in-person categories to pos without ip or device', () => {
    const r = toDecisionRequest(row({ product_category: 'gas_transport' }));
    expect(r.channel).toBe('pos');
    expect(r.merchantCategory).toBe('5541');
    expect(r.ip).toBeUndefined();
    expect(r.deviceId).toBeUndefined();
  });

  it('rejects an unknown category and an invalid amount', () => {
    expect(() => toDecisionRequest(row({ product_category: 'spaceships' }))).toThrow(/product_category/);
    expect(() => toDecisionRequest(row({ order_price: 'abc' }))).toThrow(/valid request/);
  });
});

maybe.each(['1.0.0', '2.0.0'])('AWS cold-start external check (committed fraud-demo %s)', (version) => {
  const modelDir = modelDirOf(version);
  it('loads the 810 labelled rows (95 fraudulent) and skips unlabelled ones', () => {
    const rows = loadAwsColdstart(csv);
    expect(rows).toHaveLength(810);
    expect(rows.filter((r) => r.isFraud)).toHaveLength(95);
  });

  it('scores them through onnxruntime and reproduces the ROC AUC documented in model.json and the card', async () => {
    const manifest = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as ModelManifest;
    const result = await evaluateAwsColdstart(path.join(modelDir, manifest.file), manifest.policy, csv);
    expect(result.rows).toBe(810);
    expect(result.positives).toBe(95);
    expect(result.rocAuc).toBeGreaterThanOrEqual(0);
    expect(result.rocAuc).toBeLessThanOrEqual(1);
    expect(manifest.metrics.external).not.toBeNull();
    expect(result.rocAuc).toBeCloseTo(manifest.metrics.external!.rocAuc, 9);
    const card = readFileSync(path.join(modelDir, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(`ROC AUC ${Number(result.rocAuc.toFixed(4))}`);
  });

  it('runs as a command', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const result = await runEvaluateAwsCommand(['--model-dir', modelDir, '--csv', csv]);
      expect(result.rows).toBe(810);
      expect(JSON.parse(String(write.mock.calls[0]![0])).rocAuc).toBe(result.rocAuc);
    } finally {
      write.mockRestore();
    }
  });
});
