import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ServiceBroker, type BrokerOptions, type LoggerInstance, type ServiceSchema } from "moleculer";
import { brokerOptions } from "../moleculer.config";
import BusPayloadMiddleware from "../middlewares/bus-payload.middleware";
import ConfigDigestMiddleware from "../middlewares/config-digest.middleware";
import { configPath, configText, loadConfig, type Config } from "./config";
import { rememberSecrets } from "./errors";

/** What a service factory gets: a file may export a schema, or a function of this returning schemas. */
export interface ServiceFactoryContext {
	config: Config;
	env: NodeJS.ProcessEnv;
	logger: LoggerInstance;
	/** Whether this node will host the named service (SERVICES / exclude), so a factory that is not wanted stays quiet. */
	wanted?: (name: string) => boolean;
}
export type ServiceFactory = (ctx: ServiceFactoryContext) => ServiceSchema | ServiceSchema[] | null | undefined;

const ROOT = resolve(__dirname, "..");
const SERVICE_DIRS = ["services", "plugins"];

/** Every `*.service.ts` under services/ and plugins/, sorted for a stable start order. */
export function serviceFiles(root = ROOT): string[] {
	const out: string[] = [];
	const walk = (dir: string) => {
		let entries: string[];
		try {
			entries = readdirSync(dir);
		} catch {
			return;
		}
		for (const entry of entries.sort()) {
			const full = join(dir, entry);
			if (statSync(full).isDirectory()) walk(full);
			else if (/\.service\.(ts|js)$/.test(entry)) out.push(full);
		}
	};
	SERVICE_DIRS.forEach(d => walk(join(root, d)));
	return out;
}

/** `SERVICES=intent,complexity,llm-*` — exact names or trailing-* globs; empty means all. */
export function matchesServiceList(name: string, list: string[] | undefined): boolean {
	// undefined: everything; an empty list: nothing (a gateway-only node).
	if (!list) return true;
	return list.some(p => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p));
}

export function parseServiceList(value: string | undefined): string[] | undefined {
	const list = (value ?? "")
		.split(",")
		.map(s => s.trim())
		.filter(Boolean);
	return list.length ? list : undefined;
}

export function resolveSchemas(ctx: ServiceFactoryContext, files = serviceFiles()): ServiceSchema[] {
	const schemas: ServiceSchema[] = [];
	for (const file of files) {
		const mod = require(file);
		const exported = mod.default ?? mod;
		const produced = typeof exported === "function" ? (exported as ServiceFactory)(ctx) : exported;
		for (const schema of ([] as (ServiceSchema | null | undefined)[]).concat(produced)) {
			if (schema) schemas.push(schema);
		}
	}
	return schemas;
}

export interface CreateBrokerOptions {
	/** Which services to host; defaults to SERVICES from the environment, then all. */
	services?: string[];
	/** Services never to host here (the stdio MCP command leaves out the HTTP gateway). */
	exclude?: string[];
	env?: NodeJS.ProcessEnv;
	broker?: Partial<BrokerOptions>;
	config?: Config;
}

/** Builds a broker from moleculer.config.ts and hosts the selected services on it (not started). */
export function createBroker(opts: CreateBrokerOptions = {}): ServiceBroker {
	const env = opts.env ?? process.env;
	// Before any service starts: every error text this process makes is redacted against them.
	rememberSecrets(env);
	const config = opts.config ?? loadConfig(configPath(env));
	const options = { ...brokerOptions(env, config), ...opts.broker };
	// Knows the limits a request may reach, which the bus must carry between nodes (middlewares/bus-payload.middleware.ts).
	// And the config every node should share: it announces its digest and names a peer whose differs.
	// The file as written, before ${VAR}s are filled in: nodes given different variables (WORKSPACE_DIR on the MCP pods, the
	// keys only where the gateway runs) share one file, and a digest of resolved values would carry secrets.
	const source = opts.config ?? configText(configPath(env));
	options.middlewares = [...(options.middlewares ?? []), BusPayloadMiddleware(config.limits), ConfigDigestMiddleware(source)];
	const broker = new ServiceBroker(options);
	const logger = broker.getLogger("runner");
	const wanted = opts.services ?? parseServiceList(env.SERVICES);
	const hosts = (name: string) => matchesServiceList(name, wanted) && !(opts.exclude?.length && matchesServiceList(name, opts.exclude));
	// Every service name this build knows: those built, and those a factory asked about and did not build (a provider without its key).
	const known = new Set<string>();
	const asked = (name: string) => {
		known.add(name);
		return hosts(name);
	};
	let hosted = 0;
	for (const schema of resolveSchemas({ config, env, logger, wanted: asked })) {
		known.add(String(schema.name));
		if (hosts(String(schema.name))) {
			broker.createService(schema);
			hosted++;
		}
	}
	if (!opts.services && wanted) {
		// The operator's list: a name no service of this build matches is a typo, and the node would run idle without a word.
		// A glob (`mcp.*`) matching nothing may be meant (a config without MCP services): it warns below.
		const unknown = wanted.filter(p => !p.endsWith("*") && ![...known].some(n => matchesServiceList(n, [p])));
		if (unknown.length)
			throw new Error(`SERVICES names ${unknown.map(u => `'${u}'`).join(", ")}, which no service matches (services: ${[...known].sort().join(", ")})`);
		if (!hosted) logger.warn(`this node hosts no service: every one SERVICES names (${wanted.join(", ")}) was not started (see above)`);
	}
	return broker;
}
