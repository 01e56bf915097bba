import { Errors, type Context, type ServiceSchema } from "moleculer";
import { TIERS, type Tier } from "../lib/config";
import { liveServices, type ProviderMetadata } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import { errorMessage } from "../lib/errors";
import { correctedTokens, CORRECTIONS_CHANGED, TokenCorrections, TOKENS_USAGE, type ModelCorrection, type UsageSample } from "./models/correction";
import { priceUsd } from "./models/pricing";
import { liveCatalog, type LiveCatalog } from "./models/live-catalog";
import { selectModels, SelectionError } from "./models/select";

interface SelectParams {
	tier: Tier;
	input_tokens: number;
	max_tokens: number;
	preferred_models?: string[];
	max_cost?: number;
}

interface EstimateParams {
	model: string;
	input_tokens: number;
	output_tokens: number;
}

/** The gauge this service registers (Prometheus: one series per model that has reports). */
export const CORRECTION_METRIC = {
	type: "gauge",
	name: "orchestrator_token_correction_ratio",
	labelNames: ["model"],
	description: "Learned ratio of vendor-reported to o200k_base-estimated input tokens, applied to the model's estimates (1 until enough reports)",
} as const;

/**
 * Model catalog, tiers and live providers: which model to call, and which service serves it.
 * Every instance learns from `tokens.usage` (broadcast after each provider call) how far the
 * o200k_base count is from each vendor's own, and corrects its estimates by that ratio.
 */
export default function modelsService({ config }: ServiceFactoryContext): ServiceSchema {
	const correction = config.token_correction;
	return {
		name: "models",
		actions: {
			select: {
				params: {
					tier: { type: "enum", values: [...TIERS] },
					input_tokens: { type: "number", integer: true, min: 0 },
					max_tokens: { type: "number", integer: true, positive: true },
					preferred_models: { type: "array", items: "string", optional: true },
					max_cost: { type: "number", positive: true, optional: true },
				},
				handler(ctx: Context<SelectParams>) {
					try {
						const live = this.liveCatalog();
						return selectModels({ ...config, models: live.models, tiers: live.tiers }, { ...ctx.params, live_models: live.live, input_ratio: (m: string) => this.ratio(m) });
					} catch (err) {
						if (err instanceof SelectionError) {
							throw new Errors.MoleculerClientError(err.message, 422, "MODEL_SELECTION", { field: err.field });
						}
						throw err;
					}
				},
			},
			/** Live provider services serving a model, or a clear error naming what to configure. */
			resolve: {
				params: { model: "string" },
				handler(ctx: Context<{ model: string }>) {
					const { model } = ctx.params;
					const info = this.liveCatalog().models[model];
					if (!info) throw new Errors.MoleculerClientError(`model '${model}' is not in the catalog`, 404, "UNKNOWN_MODEL", { model });
					const services = this.providersFor(model);
					if (!services.length) {
						const vars = config.providers[info.provider]?.env ?? [];
						const hint = vars.length ? `; set ${vars.join(" or ")} to enable the ${info.provider} provider` : "";
						throw new Errors.MoleculerClientError(`no live provider serves model '${model}'${hint}`, 503, "NO_PROVIDER", { model, env: vars });
					}
					return { model, provider: info.provider, services, api_model: info.api_model ?? model };
				},
			},
			/** A call's cost on one catalog model, its input count corrected like select's (the baseline's price). */
			estimate: {
				params: {
					model: "string",
					input_tokens: { type: "number", integer: true, min: 0 },
					output_tokens: { type: "number", integer: true, min: 0 },
				},
				handler(ctx: Context<EstimateParams>) {
					const { model, input_tokens, output_tokens } = ctx.params;
					const info = this.liveCatalog().models[model];
					if (!info) throw new Errors.MoleculerClientError(`model '${model}' is not in the catalog`, 404, "UNKNOWN_MODEL", { model });
					const ratio = this.ratio(model);
					const corrected = correctedTokens(input_tokens, ratio);
					return { model, input_tokens: corrected, input_token_ratio: ratio, estimated_cost_usd: priceUsd(info, corrected, output_tokens) };
				},
			},
			/** What this node has learned per model: the applied ratio, the observed one and the reports behind them. */
			corrections: {
				handler(): { enabled: boolean; min_samples: number; range: [number, number]; applied: Record<string, number>; models: ModelCorrection[] } {
					const corrections = this.corrections as TokenCorrections;
					return {
						enabled: correction.enabled,
						min_samples: correction.min_samples,
						range: [correction.min_ratio, correction.max_ratio],
						// The ratios estimates use now (models past min_samples; none when disabled).
						applied: correction.enabled ? corrections.applied() : {},
						models: corrections.snapshot(),
					};
				},
			},
			catalog: {
				handler() {
					const { models, live } = this.liveCatalog() as LiveCatalog;
					return Object.entries(models).map(([id, m]) => ({ id, ...m, live: live.has(id) }));
				},
			},
		},
		events: {
			/** Broadcast by the orchestrator and the prompt service after every completed provider call. */
			[TOKENS_USAGE](ctx: Context<UsageSample>) {
				this.learn(ctx.params);
			},
			/** Peers are often discovered after this service started: the first one met is asked. */
			"$node.connected"() {
				void this.adoptFromPeer();
			},
		},
		methods: {
			ratio(model: string): number {
				return correction.enabled ? (this.corrections as TokenCorrections).ratio(model) : 1;
			},
			learn(sample: UsageSample) {
				const corrections = this.corrections as TokenCorrections;
				if (!config.models[sample?.model] || !corrections.observe(sample)) return;
				this.broker.metrics.set(CORRECTION_METRIC.name, this.ratio(sample.model), { model: sample.model });
				this.announceIfChanged();
			},
			/** Tells the cluster when an applied ratio moved (at most once per `step`), not on every report. */
			announceIfChanged() {
				const applied = correction.enabled ? (this.corrections as TokenCorrections).applied() : {};
				const key = JSON.stringify(applied);
				if (key === this.announced) return;
				this.announced = key;
				this.broker.broadcast(CORRECTIONS_CHANGED, { ratios: applied });
			},
			/**
			 * A node joining a running cluster starts from what a peer has learned, not from nothing,
			 * so every models service prices alike. Best effort: no peer, or none answering, is fine.
			 */
			async adoptFromPeer() {
				if (this.adopted) return;
				const peers = (this.broker.registry.getServiceList({ onlyAvailable: true, withActions: false }) as { name: string; nodeID: string }[])
					.filter(s => s.name === "models" && s.nodeID !== this.broker.nodeID)
					.map(s => s.nodeID);
				for (const nodeID of new Set(peers)) {
					try {
						const peer = await this.broker.call<{ models: ModelCorrection[] }, unknown>("models.corrections", {}, { nodeID, retries: 0, timeout: 2000 });
						if (this.adopted) return;
						this.adopted = true;
						const taken = (this.corrections as TokenCorrections).adopt(peer.models.filter(c => config.models[c.model]));
						for (const model of taken) this.broker.metrics.set(CORRECTION_METRIC.name, this.ratio(model), { model });
						if (taken.length) this.logger.info(`token corrections adopted from ${nodeID}: ${taken.join(", ")}`);
						this.announceIfChanged();
						return;
					} catch (err) {
						this.logger.debug(`token corrections not adopted from ${nodeID}: ${errorMessage(err)}`);
					}
				}
			},
			/** config.yaml's catalog and tiers with what the live providers serve now (services/models/live-catalog.ts). */
			liveCatalog(): LiveCatalog {
				return liveCatalog(config, liveServices<ProviderMetadata>(this.broker, "provider"));
			},
			providersFor(model: string): string[] {
				return liveServices<ProviderMetadata>(this.broker, "provider")
					.filter(p => p.meta.models.includes(model))
					.map(p => p.service);
			},
		},
		created() {
			this.corrections = new TokenCorrections(correction);
			this.announced = "{}";
			this.adopted = false;
			if (!this.broker.metrics.getMetric(CORRECTION_METRIC.name)) this.broker.metrics.register({ ...CORRECTION_METRIC, labelNames: [...CORRECTION_METRIC.labelNames] } as any);
		},
		async started() {
			await this.adoptFromPeer();
		},
	};
}
