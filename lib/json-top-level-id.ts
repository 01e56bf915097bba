/**
 * The `id` of a JSON-RPC message too big to read, found without holding it: what answers or fails the one request it
 * belongs to (services/gateway/mcp-stdio.ts, lib/mcp-read-buffer.ts).
 */
/** Longest id kept from a line too big to read: MCP ids are short; a longer one is not taken as the request's. */
const MAX_ID_BYTES = 256;

/**
 * The `id` member of the top-level object of a JSON text fed in pieces, without holding the text: what answers a line
 * too big to read under its request's id. Only tokens at depth 1 are looked at, so an `id` inside `params` is no
 * match; bytes are ASCII-compared, which no byte of a multi-byte UTF-8 character is. `value` stays undefined when the
 * line has no such id, or it is not a string or an integer (the refusal then goes out with id null, as JSON-RPC asks).
 */
export class TopLevelId {
	value: string | number | undefined;
	private depth = 0;
	private inString = false;
	private escaped = false;
	/** The depth-1 string or number being read (undefined: none, or too long to be an id). */
	private token: number[] | undefined;
	private tokenIsString = false;
	/** The last depth-1 token was the string "id" and a `:` may follow: its value is the id. */
	private lastWasIdKey = false;
	private readingId = false;

	feed(bytes: Uint8Array): void {
		for (let i = 0; i < bytes.length; i++) {
			const c = bytes[i];
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (c === 92 /* \ */) this.escaped = true;
				else if (c === 34 /* " */) {
					this.inString = false;
					if (this.depth === 1) this.endToken();
					continue;
				}
				if (this.depth === 1) this.keep(c);
				continue;
			}
			// A number ends at the first byte that cannot be part of one.
			if (this.token && !this.tokenIsString && !isNumberByte(c)) this.endToken();
			if (c === 32 || c === 10 || c === 13 || c === 9) continue;
			if (c === 34) {
				this.inString = true;
				if (this.depth === 1) this.startToken(true);
			} else if (c === 123 /* { */ || c === 91 /* [ */) {
				this.depth++;
				if (this.depth === 2) this.readingId = this.lastWasIdKey = false;
			} else if (c === 125 /* } */ || c === 93 /* ] */) this.depth--;
			else if (this.depth === 1) {
				if (c === 58 /* : */) {
					this.readingId = this.lastWasIdKey;
					this.lastWasIdKey = false;
				} else if (c === 44 /* , */) this.readingId = this.lastWasIdKey = false;
				else if (isNumberByte(c)) {
					if (!this.token) this.startToken(false);
					this.keep(c);
				} else this.readingId = this.lastWasIdKey = false; // true, false, null: no id of a request
			}
		}
	}

	private startToken(isString: boolean) {
		this.token = [];
		this.tokenIsString = isString;
	}

	private keep(c: number) {
		if (!this.token) return;
		if (this.token.length >= MAX_ID_BYTES) this.token = undefined;
		else this.token.push(c);
	}

	private endToken() {
		const bytes = this.token;
		const isString = this.tokenIsString;
		this.token = undefined;
		if (this.readingId) {
			this.readingId = false;
			if (!bytes) return;
			try {
				const text = Buffer.from(bytes).toString("utf8");
				const value: unknown = JSON.parse(isString ? `"${text}"` : text);
				if (typeof value === "string" || Number.isSafeInteger(value)) this.value = value as string | number;
			} catch {
				// not a valid string or number: no id
			}
			return;
		}
		// A string at depth 1 not read as a value is a key: "id" makes the next value the id.
		this.lastWasIdKey = isString && !!bytes && bytes.length === 2 && bytes[0] === 105 /* i */ && bytes[1] === 100; /* d */
	}
}

const isNumberByte = (c: number) => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
