/**
 * Permission conditions said in words, as find_files' permission arguments: "executable files"
 * (find -perm /111), "executable by all" (-perm -111), "read, write and execute permissions for user,
 * group and others" (-perm -777), "not executable by all" (! -perm -111), "not executable for anybody"
 * (! -perm /111), "with the group read permission set" (-perm -040), "lacking read permissions for user, group, or others" (! -perm -444), "that don't
 * have 644 permissions" (! -perm 644), "can be read by noone" (! -perm /444), "permissions rwx for user and rw for group and
 * others" (-perm 766).
 *
 * Who (user, group, others, all) and what (read, write, execute) are word classes, so any phrasing
 * built from them is read the same way. A phrase is taken out of the text only when it is read
 * whole; what is left stays in the text, where the cover (find.ts) sends the request to the LLM.
 */

export interface PermissionArgs {
	permissions?: string;
	permissions_any?: string;
	permissions_all?: string;
	permissions_lacking?: string;
	permissions_none?: string;
	permissions_not?: string;
}

const WHAT_WORD = "(?:read(?:able)?|writ(?:e|able|eable)|exec(?:ute|utable)|searchable)";
// "read/write" lists the same way as "read and write".
const WHAT_LIST = `${WHAT_WORD}(?:\\s*(?:,|\\/)\\s*${WHAT_WORD})*(?:\\s*,?\\s*(?:and|&)\\s+${WHAT_WORD})?`;
// "at least somebody", "someone": any one of them (find -perm /222).
const WHO_WORD =
	"(?:at\\s+least\\s+)?(?:the\\s+|their\\s+)?[`'\"‘]?(?:user|owner|u|group|g|others?|o|world|everybody|everyone|anybody|anyone|somebody|someone|all(?:\\s+(?:the\\s+)?users)?)\\b[`'\"’]?(?:\\s+users)?";
// "the user, the group, or both": either of them.
const WHO_LIST = `${WHO_WORD}(?:\\s*,\\s*${WHO_WORD})*(?:\\s*,?\\s*(?:and|or)\\s+${WHO_WORD})?(?:\\s*,?\\s*or\\s+both\\b)?`;
const Q = "[`'\"‘’]?";
/** ls's letters for one class or more: "rwx for user", "rw for group and others", "r-x for others". */
const LETTERS_FOR = `(?<![\\w-])(?=[rwx-])(r?w?x?|r-x|r--|rw-|-w-|--x|-wx|---)\\s+(?:for|to)\\s+((?:the\\s+)?(?:user|owner|group|others?)(?:\\s+and\\s+(?:the\\s+)?(?:group|others?)(?!\\s+(?:r|w|x)))?)\\b`;

/** The rwx bits a list of "read, write and execute" words names (4, 2, 1 summed). */
function whatBits(list: string): number {
	let bits = 0;
	for (const w of list.toLowerCase().match(/read|writ|exec|searchable/g) ?? []) bits |= w === "read" ? 4 : w === "writ" ? 2 : 1;
	return bits;
}

/** The octal places a list of "user, group and others" names: 0o100 user, 0o010 group, 0o001 others. */
function whoPlaces(list: string): { places: number; any: boolean; or: boolean; some: boolean } {
	const l = list.toLowerCase();
	let places = 0;
	for (const w of l.match(/\b(?:user|owner|u|group|g|others?|o|world|everybody|everyone|anybody|anyone|somebody|someone|all)\b/g) ?? []) {
		if (/^(?:user|owner|u)$/.test(w)) places |= 0o100;
		else if (/^(?:group|g)$/.test(w)) places |= 0o010;
		else if (/^(?:others?|o|world)$/.test(w)) places |= 0o001;
		else places |= 0o111;
	}
	const some = /\b(?:somebody|someone)\b/.test(l);
	return { places, any: some || /\b(?:anybody|anyone)\b/.test(l), or: /\bor\b/.test(l), some };
}

const octal = (n: number) => n.toString(8).padStart(3, "0");

/** "what" bits at each "who" place: execute (1) for user and group (0o110) is 0o110. */
const mask = (bits: number, places: number) => bits * places;

type Rule = { re: RegExp; args(m: RegExpExecArray): PermissionArgs | null };

/** Permission words for one class or two: "read-write permission for owner", "only read permission for group and others". */
const WORDS_FOR = `(?:only\\s+)?((?:read|write|execute)(?:\\s*[-/,]\\s*(?:read|write|execute)|\\s+and\\s+(?:read|write|execute))*)\\s+permissions?\\s+(?:for|to)\\s+((?:the\\s+)?(?:user|owner|group|others?)(?:\\s+and\\s+(?:the\\s+)?(?:group|others?))?)\\b`;

/** The exact mode, each class given its set: ls's letters ("rwx for user") or the words ("read-write permission for owner"). */
function modeOf(parts: Iterable<RegExpMatchArray>, bitsOf: (said: string) => number): PermissionArgs | null {
	let mode = 0;
	let said = 0;
	for (const part of parts) {
		const who = whoPlaces(part[2]);
		if (who.any || who.or || who.some || who.places & said) return null;
		said |= who.places;
		mode |= mask(bitsOf(part[1]), who.places);
	}
	return said === 0o111 ? { permissions: octal(mode) } : null;
}

const RULES: Rule[] = [
	// The mode in words, each class named: "have read-write permission for owner and only read permission for group and
	// others" (find -perm 644). Before the granted rules below, which would read the first class alone as "at least".
	// Exact only when every class is given its words; not after a negation ("do not have read permission for ...").
	{
		re: new RegExp(
			`(?<!\\b(?:not|n't|n’t)\\s+)\\b(?:(?:that|which)\\s+)?(?:have|having|has|with)\\s+(?:the\\s+)?(${WORDS_FOR}(?:\\s*(?:,\\s*(?:and\\s+)?|\\s+and\\s+)${WORDS_FOR})+)`,
			"i",
		),
		args: m => modeOf(m[1].matchAll(new RegExp(WORDS_FOR, "gi")), whatBits),
	},
	// At least a mode: every bit of it set (find -perm -647): "with at least these permissions: 647", "with at least 644 permissions".
	{
		re: /\b(?:with\s+|having\s+|that\s+have\s+|which\s+have\s+)?at\s+least\s+(?:(?:these\s+|the\s+)?permissions?\s*:?\s*(0?[0-7]{3,4})|(0?[0-7]{3,4})\s+permissions?)\b/i,
		args: m => ({ permissions_all: (m[1] ?? m[2]).replace(/^0(?=[0-7]{3}$)/, "") }),
	},
	// Exact mode, negated: "that don't have 644 permissions", "without permission 777".
	{
		// Not a number said of the name ("do not have 2015 in their names": blind41's 5926 was read as mode 2015).
		// "whose permissions are not 644" the same, said with "are not" (blind54's 10589).
		re: /\b(?:that\s+|which\s+)?(?:do|does)\s*(?:not|n't|n’t)\s+have\s+(?:the\s+)?(?:permissions?\s+)?(0?[0-7]{3,4})(?:\s+permissions?)?\b(?!\s+(?:in|anywhere)\b)|\bwithout\s+(?:the\s+)?permissions?\s+(0?[0-7]{3,4})\b|\bwhose\s+permissions?\s+(?:are|is)\s+not\s+(0?[0-7]{3,4})\b/i,
		args: m => ({ permissions_not: (m[1] ?? m[2] ?? m[3]).replace(/^0(?=[0-7]{3}$)/, "") }),
	},
	// Negated: "not executable by all", "not executable for anybody", "do not have read permission to all users".
	{
		re: new RegExp(
			`\\b(?:that\\s+|which\\s+)?(?:are\\s+|is\\s+)?(?:(?:do|does)\\s*(?:not|n't)\\s+have\\s+(${WHAT_LIST})\\s+(?:permissions?|access|bits?)|not\\s+${Q}(${WHAT_LIST})${Q})\\s+(?:by|for|to)\\s+(${WHO_LIST})`,
			"i",
		),
		args: m => {
			const who = whoPlaces(m[3]);
			const bits = mask(whatBits(m[1] ?? m[2]), who.places);
			// "not writable by somebody" says neither nobody nor not everybody for sure.
			if (who.some) return null;
			if (who.any) return { permissions_none: octal(bits) };
			return who.or ? null : { permissions_lacking: octal(bits) };
		},
	},
	// Missing: "lacking read permissions for user, group, or others" (one of them missing).
	{
		// "with no 'read' privilege for 'others'": the same, said with "no"; one class named is that one bit missing (find ! -perm -004).
		re: new RegExp(
			`\\b(?:lacking|missing|with\\s+no)\\s+${Q}(${WHAT_LIST})${Q}\\s+(?:permissions?|privileges?|access|bits?)\\s+(?:for|to)\\s+(${WHO_LIST})`,
			"i",
		),
		args: m => {
			const who = whoPlaces(m[2]);
			const one = !who.any && [0o100, 0o010, 0o001].includes(who.places);
			// "with no read permission for anybody" may say nobody has it (! -perm /444): with "no", one class only.
			if (/^with\s/i.test(m[0])) return one ? { permissions_lacking: octal(mask(whatBits(m[1]), who.places)) } : null;
			return who.or || one || who.places === 0o111 ? { permissions_lacking: octal(mask(whatBits(m[1]), who.places)) } : null;
		},
	},
	// Missing, who said first: "lacking the group writable bit", "without the others' execute permission" (find ! -perm -020).
	// One who (or "or" between them) is one bit missing; "and" between them (both lacking, or all?) is left to the LLM.
	{
		re: new RegExp(`\\b(?:lacking|missing|without)\\s+(?:the\\s+)?(${WHO_LIST})(?:'s?|’s?)?\\s+(${WHAT_LIST})\\s+(?:permissions?|access|bits?)\\b`, "i"),
		args: m => {
			const who = whoPlaces(m[1]);
			if (!who.places || who.any || (!who.or && [0o100, 0o010, 0o001].every(p => p !== who.places))) return null;
			return { permissions_lacking: octal(mask(whatBits(m[2]), who.places)) };
		},
	},
	// Granted: "have read, write and execute permissions set for user, group and others", with "but not for the other";
	// "match the executable bit for owner or group" (find -perm /110) says the same.
	{
		re: new RegExp(
			`\\b(?:that\\s+|which\\s+)?(?:have|having|has|with|match(?:es|ing)?)\\s+(?:the\\s+)?(${WHAT_LIST})\\s+(?:permissions?|access|bits?)\\s+(?:set\\s+)?(?:for|to|by)\\s+(${WHO_LIST})(?:\\s+but\\s+not\\s+(?:for\\s+)?(${WHO_LIST}))?`,
			"i",
		),
		args: m => granted(m[1], m[2], m[3]),
	},
	// Granted, who said first as the permission's owner: "with the group read permission set", "having the others' execute bit".
	{
		re: new RegExp(
			`\\b(?:that\\s+|which\\s+)?(?:have|having|has|with)\\s+(?:the\\s+)?(${WHO_LIST})(?:'s?|’s?)?\\s+(${WHAT_LIST})\\s+(?:permissions?|access|bits?)(?:\\s+set)?\\b`,
			"i",
		),
		args: m => granted(m[2], m[1], undefined),
	},
	// Granted, said of who: "for which the owner has read/write permissions", "the group has at least read permission".
	{
		re: new RegExp(
			`\\b(?:for\\s+which\\s+|where\\s+|whose\\s+)?(${WHO_LIST})\\s+(?:has|have)\\s+(?:at\\s+least\\s+)?(?:the\\s+)?(${WHAT_LIST})\\s+(?:permissions?|access|bits?)\\b`,
			"i",
		),
		args: m => granted(m[2], m[1], undefined),
	},
	// Granted, said as an adjective: "executable by all", "readable for everybody", "executable by `group' or `other'".
	{
		re: new RegExp(`\\b(?:that\\s+|which\\s+)?(?:are\\s+|is\\s+)?${Q}(${WHAT_LIST})${Q}\\s+(?:by|for|to)\\s+(${WHO_LIST})`, "i"),
		args: m => granted(m[1], m[2], undefined),
	},
	// Any one of the kind's three bits: "that have any executable bits set", "with at least one write bit set" (find -perm
	// /111, /222). "the executable bit" (whose?) is left out.
	{
		re: new RegExp(`\\b(?:that\\s+|which\\s+)?(?:have|having|has|with)\\s+(?:any|at\\s+least\\s+one)\\s+(${WHAT_WORD})\\s+bits?(?:\\s+set)?\\b`, "i"),
		args: m => ({ permissions_any: octal(mask(whatBits(m[1]), 0o111)) }),
	},
	// Said as what can be done to them: "that can be read by noone" (! -perm /444), "can be written by anybody" (-perm /222).
	{
		re: new RegExp(`\\b(?:that\\s+|which\\s+)?can\\s+be\\s+(read|written|executed)\\s+by\\s+(no[- ]?one|nobody|${WHO_LIST})`, "i"),
		args: m => {
			const bits = whatBits(m[1].replace(/^written$/i, "writ").replace(/^executed$/i, "exec"));
			return /^(?:no[- ]?one|nobody)$/i.test(m[2])
				? { permissions_none: octal(mask(bits, 0o111)) }
				: granted(m[1].replace(/^written$/i, "write").replace(/^executed$/i, "execute"), m[2], undefined);
		},
	},
	// The mode in ls's letters, each class named: "permissions rwx for user and rw for group and others" (find -perm 766).
	// Exact only when every class is given a set of letters; a class left unsaid could be anything.
	{
		re: new RegExp(
			`\\b(?:(?:that|which)\\s+)?(?:have|having|has|with)\\s+(?:the\\s+)?permissions?\\s+(${LETTERS_FOR}(?:\\s*(?:,\\s*(?:and\\s+)?|\\s+and\\s+)${LETTERS_FOR})*)`,
			"i",
		),
		args: m =>
			modeOf(m[1].matchAll(new RegExp(LETTERS_FOR, "gi")), letters =>
				whatBits(letters.replace(/r/gi, "read ").replace(/w/gi, "writ ").replace(/x/gi, "exec ")),
			),
	},
	// "world-writable": the others' bit.
	{ re: /\bworld[- ](read|writ(?:e)?|execut)able\b/i, args: m => ({ permissions_any: octal(whatBits(m[1])) }) },
	// Negated with no one named: "that are not executable", "not-executable files", "non-writable" (nobody has the bit:
	// ! -perm /111), the complement of "executable files" below (anybody has it).
	{
		re: new RegExp(
			`\\b(?:(?:that|which)\\s+)?(?:are\\s+|is\\s+)?(?:not[- ]|non-?)(readable|writ(?:e)?able|executable)\\b(?!\\s+(?:by|for|to|bits?|permissions?)\\b)`,
			"i",
		),
		args: m => ({ permissions_none: octal(mask(whatBits(m[1]), 0o111)) }),
	},
	// No one named: "executable files", "writable regular files", "Read Only files".
	{ re: /\bread[- ]only\b/i, args: () => ({ permissions_none: "222" }) },
	{ re: /\b(?:executables?|executable)\b(?!\s+(?:by|for|to|bits?|permissions?)\b)/i, args: () => ({ permissions_any: "111" }) },
	{ re: /\bwrit(?:e)?able\b(?!\s+(?:by|for|to|bits?|permissions?)\b)/i, args: () => ({ permissions_any: "222" }) },
	{ re: /\breadable\b(?!\s+(?:by|for|to|bits?|permissions?)\b)/i, args: () => ({ permissions_any: "444" }) },
];

function granted(what: string, whoList: string, notFor: string | undefined): PermissionArgs | null {
	const who = whoPlaces(whoList);
	const bits = whatBits(what);
	// A list that names no one (or no bit) grants nothing find could test.
	if (!who.places || !bits) return null;
	const out: PermissionArgs = who.any || who.or ? { permissions_any: octal(mask(bits, who.places)) } : { permissions_all: octal(mask(bits, who.places)) };
	if (notFor) {
		const not = whoPlaces(notFor);
		if (not.or || not.places & who.places) return null;
		out.permissions_none = octal(mask(bits, not.places));
	}
	return out;
}

/**
 * The permission arguments the text says, and the text with those phrases taken out; null when two
 * phrases set the same argument or one is read only in part (the request is then not one find call).
 */
export function permissionPhrases(text: string): { args: PermissionArgs; rest: string } | null {
	const args: PermissionArgs = {};
	let rest = text;
	for (const { re, args: read } of RULES) {
		const m = re.exec(rest);
		if (!m) continue;
		const got = read(m);
		if (!got) return null;
		for (const [k, v] of Object.entries(got) as [keyof PermissionArgs, string][]) {
			if (args[k] !== undefined) return null;
			args[k] = v;
		}
		rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
	}
	return { args, rest };
}
