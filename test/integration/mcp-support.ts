import { readFileSync } from "node:fs";
import type { ServiceBroker } from "moleculer";
import { parseConfig, type Config } from "../../lib/config";

/** The shipped config.yaml, rooted at the given workspace, with the given edits of its text. */
export function workspaceConfig(workspace: string, edit: (yaml: string) => string = y => y): Config {
	return parseConfig(edit(readFileSync("./config.yaml", "utf8")), "config.yaml", { ...process.env, WORKSPACE_DIR: workspace });
}

export interface McpStatus {
	connected: boolean;
	pid: number | null;
	tools: string[];
	roots: string[];
	last_error: string | null;
}

/**
 * Resolves once the predicate holds, re-checking each time the registry changes (an MCP service
 * republishes its metadata on connect, disconnect and tools/list_changed). No polling, no sleeps.
 */
export async function untilRegistry(broker: ServiceBroker, predicate: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let onChange!: () => void;
		const changed = new Promise<void>(resolve => {
			onChange = resolve;
			broker.localBus.once("$services.changed", onChange);
		});
		try {
			if (await predicate()) return;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`timed out waiting for ${what}`);
			let timer!: NodeJS.Timeout;
			await Promise.race([
				changed,
				new Promise<void>((_r, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), left))),
			]).finally(() => clearTimeout(timer));
		} finally {
			broker.localBus.off("$services.changed", onChange);
		}
	}
}

export function mcpStatus(broker: ServiceBroker, service: string): Promise<McpStatus> {
	return broker.call<McpStatus, unknown>(`${service}.status`, {});
}

export async function untilConnected(broker: ServiceBroker, service: string, predicate: (s: McpStatus) => boolean = s => s.connected): Promise<McpStatus> {
	let last: McpStatus | undefined;
	await untilRegistry(
		broker,
		async () => {
			last = await mcpStatus(broker, service);
			return predicate(last);
		},
		`${service} to connect`,
	);
	return last!;
}

/** Rejects with the error the call fails with (and fails the test when it succeeds). */
export async function callError(p: Promise<unknown>): Promise<Error & { code?: number; type?: string; retryable?: boolean; data?: any }> {
	try {
		await p;
	} catch (err) {
		return err as Error;
	}
	throw new Error("expected the call to fail, it succeeded");
}
