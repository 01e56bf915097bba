import { Errors, type Context, type ServiceSchema } from "moleculer";
import { TIERS, type Tier } from "../lib/config";
import { liveServices, type ProviderMetadata } from "../lib/registry";
import type { ServiceFactoryContext } from "../lib/runner";
import { selectModels, SelectionError } from "./models/select";

interface SelectParams {
	tier: Tier;
	input_tokens: number;
	max_tokens: number;
	preferred_models?: string[];
	max_cost?: number;
}

/** Model catalog, tiers and live providers: which model to call, and which service serves it. */
export default function modelsService({ config }: ServiceFactoryContext): ServiceSchema {
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
						return selectModels(config, { ...ctx.params, live_models: this.liveModels() });
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
					const info = config.models[model];
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
			catalog: {
				handler() {
					const live = this.liveModels();
					return Object.entries(config.models).map(([id, m]) => ({ id, ...m, live: live.has(id) }));
				},
			},
		},
		methods: {
			liveModels(): Set<string> {
				return new Set(liveServices<ProviderMetadata>(this.broker, "provider").flatMap(p => p.meta.models));
			},
			providersFor(model: string): string[] {
				return liveServices<ProviderMetadata>(this.broker, "provider")
					.filter(p => p.meta.models.includes(model))
					.map(p => p.service);
			},
		},
	};
}
