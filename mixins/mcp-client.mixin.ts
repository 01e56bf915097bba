import { waitingBulkhead } from "../lib/action-options";
import { realpath } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LineReadBuffer } from "../lib/mcp-read-buffer";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { Errors, type Context, type Service, type ServiceSchema, type ServiceSettingSchema } from "moleculer";
import type { McpServiceConfig } from "../lib/config";
import { errorMessage } from "../lib/errors";
import { CancelledError, cancelEvents, cancels, type CancelMeta } from "../lib/cancel";
import { answerMarginMs, remainingMs } from "../lib/deadline";
import { publishMetadata, type McpMetadata, type McpToolInfo } from "../lib/registry";
import { guardPaths, hideRoots, parseAllowedDirectories, toolAllowed, toolKind } from "../lib/guard";

export interface McpClientMixinOptions {
	/** The entry's key in config.yaml `mcp_services`; the service is `mcp.<name>`. */
	name: string;
	entry: McpServiceConfig;
	/** Longest tool output passed on, in bytes (config.yaml limits.max_context_bytes); the rest is cut with a note. */
	maxOutputBytes?: number;
	/** The process environment: BULKHEAD_IO_CONCURRENCY (lib/action-options.ts). */
	env?: NodeJS.ProcessEnv;
}

export interface CallToolParams {
	tool: string;
	arguments?: Record<string, unknown>;
}

export interface ToolAnswer {
	text: string;
	isError?: boolean;
	structured?: Record<string, unknown>;
	/** The result's blocks as the server sent them, when one is not text (an image, audio): what a re-export passes on. */
	content?: CallToolResult["content"];
}

/** The mixin's methods (below), so that `this` is typed in its handlers. */
interface McpClientMethods {
	published(): McpToolInfo[];
	makeTransport(): Transport;
	connectOnce(): Promise<void>;
	discoverRoots(client: Client, tools: Tool[]): Promise<string[]>;
	connectLoop(): Promise<void>;
	startPings(client: Client): void;
	disconnected(reason: string): void;
	publish(): void;
	callTool(toolName: string, args: Record<string, unknown>, cancel?: AbortSignal, timeoutMs?: number): Promise<ToolAnswer>;
	callError(toolName: string, err: unknown, timeoutMs: number): Error;
}

/** `this` in an MCP client service: the connection's state and the mixin's methods. */
type McpClientThis = Service &
	McpClientMethods & {
		tools: Tool[];
		roots: string[];
		/** The roots and their real paths (a server may report either), hidden from error texts. */
		shownRoots: string[];
		connected: boolean;
		attempt: number;
		lastError?: string;
		connecting?: boolean;
		stopping?: boolean;
		client?: Client;
		/** The client still connecting (connectOnce), closed by a stop that comes meanwhile. */
		pending?: Client;
		transport?: Transport;
		serverName?: string;
		wake?: () => void;
		backoffTimer?: NodeJS.Timeout;
		pingTimer?: NodeJS.Timeout;
	};

const CLIENT_INFO = { name: "dynamic-orchestrator", version: "0.1.0" };
const validators = new AjvJsonSchemaValidator();

/**
 * The longest JSON-RPC message read from a stdio server. The SDK's default (10 MiB) closed the connection on one bigger
 * message, and the file server answers a read with the text twice (content and structuredContent): a 5 MB log took the
 * file tools down for every caller until the reconnect. Past this, the one call it answers fails and the connection goes on
 * (lib/mcp-read-buffer.ts).
 */
const MAX_STDIO_MESSAGE_BYTES = 64 * 1024 * 1024;

/** The largest file a whole-file read is sent for: the file server answers with its text twice, so a bigger one cannot come back (lib/guard.ts). */
const MAX_WHOLE_READ_BYTES = MAX_STDIO_MESSAGE_BYTES / 2;

/** `text` cut to `maxBytes` (UTF-8, never inside a character), saying how much the tool returned and which limit cut it. */
export function boundedOutput(text: string, maxBytes: number, limit = "limits.max_context_bytes"): { text: string; cut: boolean } {
	const bytes = Buffer.byteLength(text);
	if (bytes <= maxBytes) return { text, cut: false };
	// toString drops a partial character at the end of the slice (as U+FFFD): trimmed off.
	const head = Buffer.from(text)
		.subarray(0, maxBytes)
		.toString("utf8")
		.replace(/\uFFFD$/, "");
	return { text: `${head}\n[… truncated: the tool returned ${bytes} bytes, more than ${limit} (${maxBytes})]`, cut: true };
}

/** What the SDK's result schema refused in an answer (its ZodError's issues, one line), or null for any other error. */
export function resultIssues(err: unknown): string | null {
	const issues = (err as { name?: string; issues?: unknown } | null)?.issues;
	// "ZodError" from zod, "$ZodError" from zod/v4-mini, which the SDK parses results with.
	if (!/ZodError$/.test((err as { name?: string } | null)?.name ?? "") || !Array.isArray(issues)) return null;
	return issues.map((i: { path?: unknown[]; message?: string }) => `${i.path?.length ? i.path.join(".") : "result"}: ${i.message ?? "invalid"}`).join("; ");
}

/** The readable text of a tool result: text blocks as they are, other blocks named by their type. */
export function resultText(result: CallToolResult): string {
	return (result.content ?? [])
		.map(block => {
			if (block.type === "text") return block.text;
			if (block.type === "resource" && "text" in block.resource) return String(block.resource.text);
			if (block.type === "resource_link") return `${block.name}: ${block.uri}`;
			return `[${block.type}${"mimeType" in block ? ` ${block.mimeType}` : ""}]`;
		})
		.join("\n");
}

/**
 * A downstream MCP server as a Moleculer service: one official SDK `Client` over stdio or Streamable
 * HTTP, connected in the background (the broker never waits on a server), reconnected with capped
 * exponential backoff when the server dies, its tools published in the service metadata so that the
 * router on any node sees them.
 */
export default function McpClientMixin(opts: McpClientMixinOptions): Partial<ServiceSchema> {
	const { name, entry } = opts;
	const maxOutputBytes = opts.maxOutputBytes ?? 4 * 1024 * 1024;
	const cwd = entry.type === "stdio" && entry.cwd ? resolve(entry.cwd) : process.cwd();

	const schema: Partial<ServiceSchema<ServiceSettingSchema, McpClientThis>> = {
		metadata: {
			mcp: {
				server: name,
				capabilities: entry.capabilities,
				tools: [],
				allow_write: entry.allow_write,
				allow_manage: entry.allow_manage,
				connected: false,
			} satisfies McpMetadata,
		},

		actions: {
			listTools: {
				handler(this: McpClientThis): McpToolInfo[] {
					return this.published();
				},
			},

			callTool: {
				params: { tool: "string", arguments: { type: "object", optional: true } },
				// The tool call has its own timeout (timeout_ms); this one only bounds a stuck transport.
				timeout: entry.timeout_ms + 5_000,
				// It waits on the tool server: a bulkhead for waiting (lib/action-options.ts).
				...waitingBulkhead(opts.env ?? {}),
				async handler(this: McpClientThis, ctx: Context<CallToolParams>): Promise<ToolAnswer> {
					// A caller that gives up (lib/cancel.ts) aborts the downstream call: the SDK client sends the server
					// notifications/cancelled, so a slow tool stops working for nobody.
					const cancel = cancels(this.broker).watch((ctx.meta as CancelMeta).cancel);
					// Held to what is left of the caller's time too (orchestrate's deadline, handed down by Moleculer), a little
					// before it: the caller then reads this tool's own timeout, not Moleculer's REQUEST_TIMEOUT racing it.
					const left = remainingMs(ctx);
					const timeoutMs = Math.max(1, Math.min(entry.timeout_ms, left - answerMarginMs(left)));
					try {
						return await this.callTool(ctx.params.tool, ctx.params.arguments ?? {}, cancel.signal, timeoutMs);
					} finally {
						cancel.done();
					}
				},
			},

			status: {
				handler(this: McpClientThis) {
					return {
						service: this.fullName,
						connected: this.connected,
						attempt: this.attempt,
						last_error: this.lastError ?? null,
						pid: this.transport instanceof StdioClientTransport ? this.transport.pid : null,
						tools: this.published().map(t => t.name),
						roots: this.roots,
					};
				},
			},
		},

		// A caller gave up: this node's tool calls under its cancel token are aborted (lib/cancel.ts).
		events: cancelEvents,
		methods: {
			/** The tools other services may see and call: reads always, writes and manages only when allowed. */
			published(this: McpClientThis): McpToolInfo[] {
				return this.tools
					.map(t => ({ tool: t, kind: toolKind(t) }))
					.filter(({ kind }) => toolAllowed(kind, entry))
					.map(({ tool, kind }) => ({
						name: tool.name,
						description: tool.description,
						inputSchema: tool.inputSchema as Record<string, unknown>,
						kind,
					}));
			},

			makeTransport(this: McpClientThis): Transport {
				if (entry.type === "stdio") {
					const transport = new StdioClientTransport({
						command: entry.command,
						args: entry.args,
						// The SDK's safe default environment (PATH, HOME...) plus what the entry names; never our secrets.
						env: { ...getDefaultEnvironment(), ...entry.env },
						cwd,
						stderr: "pipe",
						maxBufferSize: MAX_STDIO_MESSAGE_BYTES,
					});
					// Its answers read in linear time, and one too big failing only its own call (lib/mcp-read-buffer.ts). The SDK's
					// field is private: a version without it keeps its own buffer, and says so.
					const sdk = transport as unknown as { _readBuffer?: unknown };
					if (sdk._readBuffer)
						sdk._readBuffer = new LineReadBuffer(MAX_STDIO_MESSAGE_BYTES, (bytes, id) =>
							this.logger.warn(`an answer of ${bytes} bytes (request ${id ?? "unknown"}) is over ${MAX_STDIO_MESSAGE_BYTES} bytes: not read`),
						);
					else this.logger.warn("the MCP SDK's stdio transport has no _readBuffer: its own buffer reads the server's answers");
					// stdio servers log to stderr: keep it in our log at debug level, one line each.
					transport.stderr?.on("data", (chunk: Buffer) => {
						for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.logger.debug(`[server] ${line}`);
					});
					return transport;
				}
				return new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } });
			},

			async connectOnce(this: McpClientThis) {
				const client = new Client(CLIENT_INFO, {
					capabilities: {},
					listChanged: {
						tools: {
							onChanged: (err: Error | null, tools: Tool[] | null) => {
								if (err) this.logger.warn(`tools/list_changed: cannot refresh the tool list: ${errorMessage(err)}`);
								else if (tools && this.client === client) {
									this.tools = tools;
									this.publish();
								}
							},
						},
					},
				});
				const transport = this.makeTransport();
				client.onclose = () => {
					if (this.client === client) this.disconnected("the server closed the connection");
				};
				this.pending = client;
				try {
					await client.connect(transport, { timeout: entry.timeout_ms });
					const tools: Tool[] = [];
					let cursor: string | undefined;
					do {
						const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: entry.timeout_ms });
						tools.push(...page.tools);
						cursor = page.nextCursor;
					} while (cursor);
					this.roots = await this.discoverRoots(client, tools);
					this.shownRoots = [...new Set([...this.roots, ...(await Promise.all(this.roots.map(r => realpath(r).catch(() => r))))])];
					if (this.stopping) throw new Error("service stopped while connecting");
					this.client = client;
					this.transport = transport;
					this.tools = tools;
					this.connected = true;
					this.attempt = 0;
					this.lastError = undefined;
					const info = client.getServerVersion();
					this.serverName = info?.name ?? name;
					this.logger.info(`connected to ${this.serverName}: ${tools.length} tools${this.roots.length ? `, roots ${this.roots.join(", ")}` : ""}`);
					this.publish();
					this.startPings(client);
				} catch (err) {
					await client.close().catch(() => undefined);
					throw err;
				} finally {
					if (this.pending === client) this.pending = undefined;
				}
			},

			/** The configured roots, else what a file-system server says it allows. */
			async discoverRoots(this: McpClientThis, client: Client, tools: Tool[]): Promise<string[]> {
				if (entry.roots) return entry.roots.map(r => (isAbsolute(r) ? r : resolve(cwd, r)));
				if (!tools.some(t => t.name === "list_allowed_directories")) return [];
				const res = (await client.callTool({ name: "list_allowed_directories", arguments: {} }, undefined, {
					timeout: entry.timeout_ms,
				})) as CallToolResult;
				return parseAllowedDirectories(resultText(res));
			},

			/** Connects, retrying with capped exponential backoff until it succeeds or the service stops. */
			async connectLoop(this: McpClientThis) {
				if (this.connecting) return;
				this.connecting = true;
				try {
					while (!this.stopping && !this.connected) {
						try {
							await this.connectOnce();
						} catch (err) {
							// A stop closed the connection under way: no failure to report, no next try.
							if (this.stopping) return;
							this.attempt++;
							this.lastError = errorMessage(err);
							const delay = Math.min(entry.reconnect.initial_ms * 2 ** (this.attempt - 1), entry.reconnect.max_ms);
							this.logger.warn(`cannot connect (attempt ${this.attempt}): ${this.lastError}; next try in ${delay} ms`);
							await new Promise<void>(res => {
								this.wake = res;
								this.backoffTimer = setTimeout(res, delay);
							});
						}
					}
				} finally {
					this.connecting = false;
				}
			},

			startPings(this: McpClientThis, client: Client) {
				clearInterval(this.pingTimer);
				if (!entry.ping_interval_ms) return;
				this.pingTimer = setInterval(() => {
					if (this.client !== client) return;
					client.ping({ timeout: Math.min(entry.timeout_ms, entry.ping_interval_ms) }).catch((err: unknown) => {
						if (this.client === client) this.disconnected(`ping failed: ${errorMessage(err)}`);
					});
				}, entry.ping_interval_ms);
				this.pingTimer.unref?.();
			},

			/** The server is gone: calls fail fast with a retryable error, the tools stay listed as disconnected. */
			disconnected(this: McpClientThis, reason: string) {
				if (this.stopping || !this.connected) return;
				this.logger.warn(`disconnected: ${reason}; reconnecting`);
				const client = this.client;
				clearInterval(this.pingTimer);
				this.client = undefined;
				this.transport = undefined;
				this.connected = false;
				this.lastError = reason;
				this.publish();
				void client?.close().catch(() => undefined);
				void this.connectLoop();
			},

			/** Publishes the tools and connection state in the metadata, cluster-wide (publishMetadata). */
			publish(this: McpClientThis) {
				const meta: McpMetadata = {
					server: this.serverName ?? name,
					capabilities: entry.capabilities,
					tools: this.published(),
					allow_write: entry.allow_write,
					allow_manage: entry.allow_manage,
					roots: this.roots,
					connected: this.connected,
				};
				this.metadata.mcp = meta;
				publishMetadata(this.broker, this);
				Promise.resolve(
					this.broker.broadcast("mcp.tools.changed", { service: this.fullName, connected: meta.connected, tools: meta.tools.map(t => t.name) }),
				).catch((err: unknown) => this.logger.debug(`cannot announce the tool change: ${errorMessage(err)}`));
			},

			/** `cancel`: aborted when the caller gave up; the call then fails with a CancelledError (and is not made if already aborted). */
			async callTool(
				this: McpClientThis,
				toolName: string,
				args: Record<string, unknown>,
				cancel?: AbortSignal,
				timeoutMs = entry.timeout_ms,
			): Promise<ToolAnswer> {
				const tool = this.tools.find(t => t.name === toolName);
				if (!tool) {
					throw new Errors.MoleculerClientError(
						`${this.fullName} has no tool '${toolName}'${this.tools.length ? ` (tools: ${this.tools.map(t => t.name).join(", ")})` : " (not connected yet)"}`,
						404,
						"TOOL_NOT_FOUND",
						{ field: "tool", tool: toolName },
					);
				}
				const kind = toolKind(tool);
				if (!toolAllowed(kind, entry)) {
					throw new Errors.MoleculerClientError(
						`${this.fullName}.${toolName} is a ${kind} tool and mcp_services.${name}.allow_${kind} is false in config.yaml`,
						403,
						"TOOL_NOT_ALLOWED",
						{ tool: toolName, kind },
					);
				}
				const check = validators.getValidator(tool.inputSchema as any)(args);
				if (!check.valid) {
					throw new Errors.ValidationError(`invalid arguments for ${toolName}: ${check.errorMessage}`, "VALIDATION_ERROR", [
						{ field: "arguments", message: `arguments for ${toolName}: ${check.errorMessage}` },
					]);
				}
				const guarded = await guardPaths({ name: tool.name, inputSchema: tool.inputSchema as Record<string, unknown> }, args, this.roots, {
					maxWholeReadBytes: MAX_WHOLE_READ_BYTES,
				});
				const client = this.client;
				if (!this.connected || !client) {
					throw new Errors.MoleculerRetryableError(
						`${this.fullName} is not connected to its MCP server (reconnecting, attempt ${this.attempt}${this.lastError ? `: ${this.lastError}` : ""})`,
						503,
						"MCP_DISCONNECTED",
						{ service: this.fullName },
					);
				}
				const action = `${this.fullName}.callTool(${toolName})`;
				if (cancel?.aborted) throw new CancelledError(action, false, "MCP tool call");
				let result: CallToolResult;
				try {
					result = (await client.callTool({ name: toolName, arguments: guarded }, undefined, {
						timeout: timeoutMs,
						...(cancel ? { signal: cancel } : {}),
					})) as CallToolResult;
				} catch (err) {
					// The SDK rejects with the abort's reason after sending notifications/cancelled: the connection is fine.
					if (cancel?.aborted) throw new CancelledError(action, true, "MCP tool call");
					throw this.callError(toolName, err, timeoutMs);
				}
				const bounded = boundedOutput(result.isError ? hideRoots(resultText(result), this.shownRoots) : resultText(result), maxOutputBytes);
				const answer: ToolAnswer = { text: bounded.text };
				if (result.isError) answer.isError = true;
				// A cut output's structured copy would carry the whole of it again.
				if (result.structuredContent && !bounded.cut) answer.structured = result.structuredContent;
				// An image or audio block is more than its "[image image/png]" line: kept whole for a re-export, within the limit.
				const blocks = result.content ?? [];
				if (blocks.some(b => b.type === "image" || b.type === "audio") && Buffer.byteLength(JSON.stringify(blocks)) <= maxOutputBytes)
					answer.content = blocks;
				return answer;
			},

			/**
			 * Protocol errors are the caller's; anything else means the connection broke. A tool call may act (write a file,
			 * call a vendor): one the server got and did not answer, in time (MCP_TIMEOUT) or before it died
			 * (MCP_SERVER_LOST), may have run, so neither is retryable: Moleculer's retry would send it again (three
			 * timeouts in a row, past the MCP client's own 60 s; a call that crashes its server, sent to the restarted one).
			 * Only a call the SDK never sent ("Not connected") is.
			 */
			callError(this: McpClientThis, toolName: string, err: unknown, timeoutMs: number): Error {
				const msg = hideRoots(errorMessage(err), this.shownRoots);
				const data = { service: this.fullName, tool: toolName };
				if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
					const limit =
						timeoutMs < entry.timeout_ms
							? `what was left of the request's time (${timeoutMs} ms)`
							: `mcp_services.${name}.timeout_ms (${entry.timeout_ms} ms) in config.yaml`;
					return new Errors.MoleculerError(
						`${this.fullName}.${toolName} did not answer within ${limit}; not sent again, since the tool may have run`,
						504,
						"MCP_TIMEOUT",
						{ ...data, timeout_ms: timeoutMs },
					);
				}
				if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed) {
					return new Errors.MoleculerClientError(`${this.fullName}.${toolName}: ${msg}`, 400, "MCP_TOOL_ERROR", { tool: toolName, code: err.code });
				}
				// The server answered, with something that is no CallToolResult (the SDK's schema refused it): its bug, not a
				// broken connection. Taken for one, the healthy server was restarted and the call retried on it, three times.
				const issues = resultIssues(err);
				if (issues)
					return new Errors.MoleculerError(
						`${this.fullName}.${toolName} answered with a result that is not a valid MCP tool result: ${hideRoots(issues, this.shownRoots)}; not sent again, since the tool may have run`,
						502,
						"MCP_BAD_RESULT",
						data,
					);
				this.disconnected(msg);
				if (err instanceof McpError)
					return new Errors.MoleculerError(
						`${this.fullName} lost its MCP server during ${toolName} (${msg}); not sent again, since the tool may have run (the server is restarted)`,
						502,
						"MCP_SERVER_LOST",
						data,
					);
				return new Errors.MoleculerRetryableError(`${this.fullName} lost its MCP server before ${toolName} was sent: ${msg}`, 503, "MCP_DISCONNECTED", {
					service: this.fullName,
				});
			},
		},

		created() {
			this.tools = [];
			this.roots = [];
			this.shownRoots = [];
			this.connected = false;
			this.attempt = 0;
		},

		started() {
			this.stopping = false;
			// In the background: a slow or missing server must not hold up the broker.
			void this.connectLoop();
		},

		async stopped() {
			this.stopping = true;
			clearTimeout(this.backoffTimer);
			clearInterval(this.pingTimer);
			this.wake?.();
			const client = this.client;
			// A connection under way is closed too (its server child ended): it went on after the stop and, the process
			// exiting, left the child running until it read the end of its stdin.
			const pending = this.pending;
			this.client = undefined;
			this.pending = undefined;
			this.connected = false;
			await Promise.all([client?.close().catch(() => undefined), pending?.close().catch(() => undefined)]);
		},
	};
	// A mixin is merged into an untyped schema (Moleculer's `mixins` take a bare Service as `this`): widened here, once.
	return schema as Partial<ServiceSchema>;
}
