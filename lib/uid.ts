import { randomFillSync } from "node:crypto";

/** Random bytes for 256 ids, filled at once (as Node's own `randomUUID` caches its entropy). */
const POOL_BYTES = 16 * 256;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

/** The id's ASCII text, written in place and read out as one string; its dashes never move. */
const text = Buffer.alloc(36, "-");
const HEX = Buffer.from("0123456789abcdef", "latin1");
/** Where each of the 16 bytes' two hex digits go in xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx. */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * A random (version 4) UUID, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` in lower-case hex: the format of Moleculer's default
 * context ids (utils.js `generateToken`) and of `crypto.randomUUID()`, from 122 bits of the system's cryptographic random
 * source. For the broker's `uidGenerator` (moleculer.config.ts): every action call and event makes a context id, and both
 * Moleculer's generator and Node's `randomUUID` build theirs from 20 string concatenations (~0.35 KB of short-lived
 * strings an id, ~8.5 KB a REST request); here the digits are written into one buffer and read out as a single string.
 */
export function uuid(): string {
	if (used === POOL_BYTES) {
		randomFillSync(pool);
		used = 0;
	}
	const at = used;
	used += 16;
	// RFC 9562: version 4 in byte 6's high nibble, variant 10 in byte 8's two high bits.
	pool[at + 6] = (pool[at + 6] & 0x0f) | 0x40;
	pool[at + 8] = (pool[at + 8] & 0x3f) | 0x80;
	for (let i = 0; i < 16; i++) {
		const byte = pool[at + i];
		const p = AT[i];
		text[p] = HEX[byte >> 4];
		text[p + 1] = HEX[byte & 0x0f];
	}
	return text.toString("latin1", 0, 36);
}
