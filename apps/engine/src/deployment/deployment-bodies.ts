import { z } from 'zod';
import { canaryAnalysisSchema, MODEL_ID_PATTERN, policySchema, policyVersionSchema, ROUTING_KEYS, type DeploymentCommand } from '@verdict/domain';

const modelId = z.string().regex(MODEL_ID_PATTERN, 'must be 1–64 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
const reason = z.string().trim().min(1, 'is required: say why').max(2000);
const percent = z.number().min(0).max(100);

/** The request bodies of the deployment changes (JSON, strict), each turned into a domain command. */
export const DEPLOYMENT_BODIES = {
  champion: z.object({ model: modelId, version: modelId, policy: policySchema.optional(), reason }).strict(),
  challenger: z
    .object({
      model: modelId,
      version: modelId,
      mode: z.enum(['canary', 'shadow']),
      trafficPercent: percent.optional(),
      routingKey: z.enum(ROUTING_KEYS).optional(),
      policy: policySchema.optional(),
      analysis: canaryAnalysisSchema.optional(),
      reason,
    })
    .strict(),
  traffic: z.object({ trafficPercent: percent, reason }).strict(),
  reason: z.object({ reason }).strict(),
  policy: z
    .object({
      target: z.enum(['champion', 'challenger']),
      version: policyVersionSchema,
      reviewThreshold: z.number().min(0).max(1),
      declineThreshold: z.number().min(0).max(1),
      reason,
    })
    .strict()
    .refine((p) => p.reviewThreshold <= p.declineThreshold, { message: 'reviewThreshold must not exceed declineThreshold', path: ['reviewThreshold'] }),
} as const;

type Bodies = { [K in keyof typeof DEPLOYMENT_BODIES]: z.output<(typeof DEPLOYMENT_BODIES)[K]> };

export const toCommand = {
  champion: (b: Bodies['champion']): DeploymentCommand => ({ kind: 'set-champion', model: { name: b.model, version: b.version }, policy: b.policy, reason: b.reason }),
  challenger: (b: Bodies['challenger']): DeploymentCommand => ({
    kind: 'deploy-challenger',
    model: { name: b.model, version: b.version },
    mode: b.mode,
    trafficPercent: b.trafficPercent,
    routingKey: b.routingKey,
    policy: b.policy,
    analysis: b.analysis,
    reason: b.reason,
  }),
  traffic: (b: Bodies['traffic']): DeploymentCommand => ({ kind: 'set-traffic', trafficPercent: b.trafficPercent, reason: b.reason }),
  promote: (b: Bodies['reason']): DeploymentCommand => ({ kind: 'promote', reason: b.reason }),
  rollbackChallenger: (b: Bodies['reason']): DeploymentCommand => ({ kind: 'rollback-challenger', reason: b.reason }),
  rollbackChampion: (b: Bodies['reason']): DeploymentCommand => ({ kind: 'rollback-champion', reason: b.reason }),
  policy: (b: Bodies['policy']): DeploymentCommand => ({
    kind: 'set-policy',
    target: b.target,
    policy: { version: b.version, reviewThreshold: b.reviewThreshold, declineThreshold: b.declineThreshold },
    reason: b.reason,
  }),
};
