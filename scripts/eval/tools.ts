/**
 * The tool lists the default config.yaml's MCP servers offer (the reference file-system server and
 * our workspace-search server), read from the real servers: started over stdio, listed, stopped.
 * Route evaluations judge the router against these, so their figures reflect the tools it has.
 */
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { PROJECT_ROOT } from "../../lib/config";
import { toolKind } from "../../lib/guard";
import type { LiveMcpService } from "../../services/router/route";

/** A live-looking service from a real server's tool list. */
async function serviceFrom(name: string, serverFile: string, capabilities: string[]): Promise<LiveMcpService> {
	const client = new Client({ name: "eval-router", version: "0" });
	await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(PROJECT_ROOT, serverFile), PROJECT_ROOT], stderr: "ignore" }));
	const { tools } = await client.listTools();
	await client.close();
	return {
		service: `mcp.${name}`,
		meta: {
			server: name,
			capabilities,
			connected: true,
			tools: tools.map(t => ({ name: t.name, description: t.description, inputSchema: t.inputSchema as Record<string, unknown>, kind: toolKind(t) })),
		},
	};
}

/** The default config's two MCP servers, as the router would see them live. */
export async function defaultServices(): Promise<LiveMcpService[]> {
	return [
		await serviceFrom("filesystem", "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", ["read", "search"]),
		await serviceFrom("search", "mcp-servers/workspace-search.js", ["read", "search"]),
	];
}

export interface RouteScore {
	routed: number;
	tp: number;
	fp: number;
	fn: number;
	precision: number;
	recall: number;
}

/** Precision and recall of predicted zero-token routes against `tool_answerable` labels. */
export function routeScore(rows: { label: boolean; predicted: boolean }[]): RouteScore {
	const tp = rows.filter(r => r.label && r.predicted).length;
	const fp = rows.filter(r => !r.label && r.predicted).length;
	const fn = rows.filter(r => r.label && !r.predicted).length;
	return { routed: tp + fp, tp, fp, fn, precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1 };
}
