import type { Channel } from '../decision-request';
import type { FeatureDefinition } from './feature-definition';

const oneHot = (channel: Channel): FeatureDefinition => ({
  name: `channel_${channel}`,
  description: `1 when channel is "${channel}"; else 0 (also 0 when the channel is absent).`,
  compute: (r) => (r.channel === channel ? 1 : 0),
});

/** Channels where the card is not physically present at the terminal. */
const CARD_NOT_PRESENT: ReadonlySet<Channel> = new Set<Channel>(['ecom', 'moto']);

export const CHANNEL_FEATURES: readonly FeatureDefinition[] = [
  oneHot('ecom'),
  oneHot('pos'),
  oneHot('atm'),
  oneHot('moto'),
  {
    name: 'channel_missing',
    description: '1 when the request carries no channel; else 0.',
    compute: (r) => (r.channel === undefined ? 1 : 0),
  },
  {
    name: 'card_not_present',
    description: '1 for card-not-present channels (ecom, moto); else 0.',
    compute: (r) => (r.channel !== undefined && CARD_NOT_PRESENT.has(r.channel) ? 1 : 0),
  },
];
