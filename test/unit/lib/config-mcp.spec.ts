import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { parseConfig, PROJECT_ROOT } from "../../../lib/config";

const shipped = () => readFileSync("./config.yaml", "utf8");

describe("config.yaml mcp_services", () => {
	it("ships the file-system server from node_modules, read-only, rooted at WORKSPACE_DIR", () => {
		const fs = parseConfig(shipped(), "config.yaml", { WORKSPACE_DIR: "/srv/ws" }).mcp_services.filesystem;
		assert.equal(fs.type, "stdio");
		if (fs.type !== "stdio") return;
		assert.equal(fs.args[0], `${PROJECT_ROOT}/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js`);
		assert.ok(isAbsolute(fs.args[0]));
		assert.equal(fs.args[1], "/srv/ws");
		const byDefault = parseConfig(shipped(), "config.yaml", {}).mcp_services.filesystem as { args: string[] };
		assert.equal(byDefault.args[1], ".", "WORKSPACE_DIR defaults to the directory the orchestrator starts in");
		assert.deepEqual(fs.capabilities, ["read", "search"]);
		assert.equal(fs.allow_write, false);
		assert.equal(fs.allow_manage, false);
	});

	it("names the bad key of an http entry", () => {
		const text = shipped().replace("mcp_services:\n", "mcp_services:\n  tickets: { type: http, url: not-a-url }\n");
		assert.throws(() => parseConfig(text), /mcp_services\.tickets\.url/);
	});

	it("names an entry with an unknown type", () => {
		const text = shipped().replace("mcp_services:\n", "mcp_services:\n  odd: { type: websocket, url: ws://x }\n");
		assert.throws(() => parseConfig(text), /mcp_services\.odd\.type/);
	});

	it("keeps the re-export switch off unless asked", () => {
		assert.equal(parseConfig(shipped()).gateway.reexport_tools, false);
		assert.equal(parseConfig(shipped().replace("reexport_tools: false", "reexport_tools: true")).gateway.reexport_tools, true);
	});
});
