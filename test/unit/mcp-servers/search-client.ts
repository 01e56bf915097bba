import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createSearchServer } from "../../../mcp-servers/workspace-search";

/** A client of workspace-search over `roots`, in-process through the SDK as a desktop client would call it. */
export async function searchClient(roots: string[], name: string): Promise<Client> {
	const [server, transport] = [createSearchServer(roots), InMemoryTransport.createLinkedPair()];
	await server.connect(transport[1]);
	const client = new Client({ name, version: "0" });
	await client.connect(transport[0]);
	return client;
}
