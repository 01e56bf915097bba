import { strict as assert } from "assert";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { asksToAct } from "../../../../services/router/acts";
import { findRequest, MAY_ASK_TO_FIND, mendTypos } from "../../../../services/router/find";

describe("router/find: shell find and grep tasks said in words", () => {
	it("turns each phrase into a find_files argument", () => {
		assert.deepEqual(findRequest("display all directories in the folder /myfiles and do not search in sub directories"), {
			op: "find_files",
			path: "/myfiles",
			type: "directory",
			max_depth: 1,
		});
		assert.deepEqual(findRequest('find all the ".c" files in the folder /home/david which have been modified in the last 48 hours'), {
			op: "find_files",
			path: "/home/david",
			name: "*.c",
			modified_within_days: 2,
		});
		assert.deepEqual(findRequest("Find all files/directories named 'foo.rb' under current directory tree"), {
			op: "find_files",
			path: ".",
			name: "foo.rb",
			type: "any",
		});
		assert.deepEqual(findRequest('find the file "dateiname" in the entire file system ( case insensitive search)'), {
			op: "find_files",
			path: "/",
			name: "dateiname",
			ignore_case: true,
		});
		assert.deepEqual(findRequest("Find all files starting from the current directory which are owned by the user tommye"), {
			op: "find_files",
			path: ".",
			owner: "tommye",
		});
		assert.deepEqual(findRequest("display all the files in the current folder excluding the perl files"), {
			op: "find_files",
			path: ".",
			// A language is a class of extensions: Perl is .pl and .pm.
			exclude: ["*.pl", "*.pm"],
		});
		assert.deepEqual(findRequest("Find files modified between 6 and 9 minutes ago"), {
			op: "find_files",
			path: ".",
			modified_before_days: 6 / 1440,
			modified_within_days: 9 / 1440,
		});
	});

	it("sends a string search with at most a name filter to search_text, with filters to find_files' contains", () => {
		assert.deepEqual(findRequest('Search the regular files of the current directory tree for string "stuff"'), { op: "grep", pattern: "stuff", path: "." });
		assert.deepEqual(findRequest('Search *.txt files under and below /directory/containing/files for "pattern_to_search"'), {
			op: "grep",
			pattern: "pattern_to_search",
			path: "/directory/containing/files",
			glob: "**/*.txt",
		});
		assert.deepEqual(findRequest('Search all .java files residing in the current directory tree and modified at least 7 days ago for string "swt"'), {
			op: "find_files",
			path: ".",
			name: "*.java",
			modified_before_days: 7,
			contains: "swt",
		});
	});

	it("answers nothing when a word is left unexplained: an act, a count, a condition no tool applies", () => {
		for (const req of [
			"Find all .zip files and unzip them, deleting the archives",
			"Find all *.txt files and count the lines in them",
			"Find all links to path/to/file",
			"display all the soft links in a  folder which are not broken",
			"search for files that are readable for everybody, have at least on write bit set but are not executable for anybody",
			"Find movies over a gigabyte in size",
			"Print the current directory",
			"find all files in the current folder and change their permissions to 644",
			"Find all files/directories greater than 100MB and print their list along with their size in /root/big.txt file",
			"Find all regular files in the current directory tree that do not contain a whitespace",
			"how do I find all the .log files in /var/log",
			'Display the named characters in "Test"',
		])
			assert.equal(findRequest(req), null, req);
	});

	// Each phrasing class below is shown with requests from the training labels (data/train/nl2bash.jsonl).
	const find = (path: string, args: Record<string, unknown>) => ({ op: "find_files", path, ...args });

	it("reads permission words as classes: who (user, group, others, all) by what (read, write, execute)", () => {
		const cases: [string, Record<string, unknown>][] = [
			["find all the files in the current folder which have execute permission to all the users", find(".", { permissions_all: "111" })],
			[
				"Show all files in user's home directory that have read, write and execute permissions set for user, group and others.",
				find("~", { permissions_all: "777" }),
			],
			[
				"Search the current directory tree for regular files lacking read permissions for user, group, or others",
				find(".", { permissions_lacking: "444" }),
			],
			["Find files that don’t have 644 permissions", find(".", { permissions_not: "644" })],
			["Find all the files without permission 777", find(".", { permissions_not: "777" })],
			[
				'Find directories in the current directory recursively that are not "executable" by all',
				find(".", { permissions_lacking: "111", type: "directory" }),
			],
			["Find all executable files under current directory and below", find(".", { permissions_any: "111" })],
			["Find writable regular files in the current directory", find(".", { permissions_any: "222" })],
			["Find all Read Only files", find(".", { permissions_none: "222" })],
			["Find all files under /path and below executable by `group' or `other'", find("/path", { permissions_any: "011" })],
			[
				"Find regular files in the current directory tree that have executable bits set for the user and group but not for the other",
				find(".", { permissions_all: "110", permissions_none: "001" }),
			],
		];
		for (const [req, args] of cases) assert.deepEqual(findRequest(req), args, req);
	});

	it("lists symbolic links themselves, and the broken ones however they are called", () => {
		assert.deepEqual(findRequest("List all the file links"), find(".", { type: "symlink" }));
		for (const req of [
			"Find links that point to nothing",
			"Search the system for 'dead' symbolic links",
			"Find all broken symlinks under /path/to/search directory",
		])
			assert.equal((findRequest(req) as { broken?: boolean }).broken, true, req);
		assert.deepEqual(
			findRequest("find all the links in the root folder which point to nothing ( links with their original file deleted ) and display them."),
			find("/", { type: "symlink", broken: true }),
		);
	});

	it("compares times with a named file (newer than, modified after, older than), never with a number of days", () => {
		assert.deepEqual(findRequest("Return the files that are newer than file `myfile'"), find(".", { newer_than: "myfile" }));
		assert.deepEqual(
			findRequest("find all the files in the /usr folder that have been modified after the file /usr/FirstFile."),
			find("/usr", { newer_than: "/usr/FirstFile" }),
		);
		assert.deepEqual(
			findRequest(
				"Find files/directories under '/dir' directory tree that are newer than 'yesterday.ref' file and older than 'today.ref' file by modification time",
			),
			find("/dir", { newer_than: "yesterday.ref", older_than: "today.ref", type: "any" }),
		);
		assert.deepEqual(
			findRequest("Find files in /var/tmp/stuff and below that are older than 90 days"),
			find("/var/tmp/stuff", { modified_before_days: 90 }),
		);
	});

	it("counts calendar days when the request does (today, yesterday, from the start of the day)", () => {
		assert.deepEqual(
			findRequest("find all the files in the home folder which have been modified today"),
			find("~", { daystart: true, modified_within_days: 1 }),
		);
		assert.deepEqual(
			findRequest("list the regular files in your home directory that were modified yesterday"),
			find("~", { daystart: true, modified_within_days: 2, modified_before_days: 1 }),
		);
		assert.deepEqual(
			findRequest("List all files in the current directory tree that were last modified yesterday or later"),
			find(".", { daystart: true, modified_within_days: 2 }),
		);
		assert.deepEqual(
			findRequest("find all the file that have been modified exactly 3 days ago ( considers day starting not 24 hours )"),
			find(".", { modified_before_days: 3, modified_within_days: 4, daystart: true }),
		);
	});

	it("takes exact sizes as find -size does (bytes exactly, larger units rounded up) and ranges", () => {
		assert.deepEqual(
			findRequest("display list of all the regular/normal files in the home folder which are exactly 6579 bytes"),
			find("~", { min_bytes: 6579, max_bytes: 6579 }),
		);
		assert.deepEqual(
			findRequest("find all the files in the entire file system whose size is exactly 15MB"),
			find("/", { min_bytes: 14 * 1024 ** 2 + 1, max_bytes: 15 * 1024 ** 2 }),
		);
		assert.deepEqual(
			findRequest("Find files in the current directory and below that are 2000 kB in size"),
			find(".", { min_bytes: 1999 * 1024 + 1, max_bytes: 2000 * 1024 }),
		);
		assert.deepEqual(
			findRequest("Search the current directory recursively for files whose size is between 10 and 50 MB"),
			find(".", { min_bytes: 10 * 1024 ** 2, max_bytes: 50 * 1024 ** 2 }),
		);
		assert.deepEqual(findRequest("Find all *.c files in /usr/src bigger than 100k"), find("/usr/src", { name: "*.c", min_bytes: 100 * 1024 }));
	});

	it("reads any way of leaving a place out with any way of naming it", () => {
		const cases: [string, Record<string, unknown>][] = [
			[
				"Find all files/directories with '.pdf' extension excluding 'pdfs' directory and all of its contents",
				find(".", { exclude: ["pdfs"], name: "*.pdf", type: "any" }),
			],
			[
				"Find and print all PDF files in the current directory and its sub-directories except for any found in the ./pdfs directory.",
				// "./pdfs" is that folder only (find -path ./pdfs -prune), not every folder named pdfs.
				find(".", { exclude: ["pdfs{,/**}"], name: "*.pdf" }),
			],
			["list all javascipts file expect files under proc folder", find(".", { exclude: ["proc"], name: "*.js" })],
			['Search the current directory tree for .rb files ignoring the "./vendor" subdirectory', find(".", { exclude: ["vendor{,/**}"], name: "*.rb" })],
			["Search the current directory tree for all files except SVN ones", find(".", { exclude: [".svn"] })],
			[
				'Print the list of files in the current directory tree excluding those whose paths contain "exclude3" or "exclude4"',
				find(".", { exclude: ["*exclude3*", "*exclude4*"] }),
			],
		];
		for (const [req, args] of cases) assert.deepEqual(findRequest(req), args, req);
	});

	it("names file types by lists and by language, and files by bare names with an extension", () => {
		assert.deepEqual(findRequest("Find all Perl source code files"), find(".", { name: "*.{pl,pm}" }));
		assert.deepEqual(findRequest("Search the home directory for OGG and MP3 files"), find("~", { name: "*.{ogg,mp3}" }));
		assert.deepEqual(findRequest("find all the html, javascript and text files in the current folder"), find(".", { name: "*.{html,js,txt}" }));
		assert.deepEqual(findRequest("display all the jpg images in current folder"), find(".", { name: "*.jpg" }));
		assert.deepEqual(findRequest("Locate logo.gif in the /var/www directory tree"), find("/var/www", { name: "logo.gif" }));
		// Shown, a file named bare is read (route.ts), not searched for.
		assert.equal(findRequest("show the file config.yaml"), null);
		assert.equal(findRequest("display the httpd.conf file"), null);
		assert.equal(findRequest("show the file 'config.yaml'"), null);
		assert.deepEqual(findRequest("find regular file named foo.txt under root / directory."), find("/", { name: "foo.txt" }));
		assert.deepEqual(findRequest('Search the current directory tree for files whose names begin with "my" and end with "p"'), find(".", { name: "my*p" }));
		// "the folder and pdf files": only the known end of a list is a type; the rest stays unexplained.
		assert.equal(findRequest("find all the old and pdf files"), null);
	});

	it("reads several places as one find over each (find A B C), with or without a folder word", () => {
		assert.deepEqual(findRequest("search for the file test.txt in the folders /home and /opt"), find("/home", { paths: ["/opt"], name: "test.txt" }));
		assert.deepEqual(
			findRequest("Find files/directories named 'sar' under '/usr', '/bin', '/sbin' and '/opt' directory tree"),
			find("/usr", { paths: ["/bin", "/sbin", "/opt"], name: "sar", type: "any" }),
		);
		// A string searched in several places is find_files' contains (search_text takes one path).
		assert.deepEqual(
			findRequest("Search for 'foo' in all the java files under 'dir1', 'dir2' and 'dir3' directory tree and print only the names of the matched files"),
			find("dir1", { paths: ["dir2", "dir3"], name: "*.java", contains: "foo" }),
		);
		assert.deepEqual(
			findRequest("Report all files in /mydir1 and /mydir2 larger than 2000 blocks and accessed in over 30 days"),
			find("/mydir1", { paths: ["/mydir2"], accessed_before_days: 30, min_bytes: 2000 * 512 }),
		);
	});

	it("reads arithmetic in amounts, access times said exactly, years, non-hidden files and bare words to search for", () => {
		assert.deepEqual(
			findRequest("display all the html files in the current folder that have been modified in the last 7*24 hours"),
			find(".", { name: "*.html", modified_within_days: 7 }),
		);
		assert.deepEqual(
			findRequest("Find all the files in file system which are accessed 50 days back"),
			find("/", { accessed_before_days: 50, accessed_within_days: 51 }),
		);
		assert.deepEqual(findRequest("get all the files that are exactly 30 days old"), find(".", { modified_before_days: 30, modified_within_days: 31 }));
		assert.deepEqual(
			findRequest("find all the files in the home folder which have not been modified in the last 1 year."),
			find("~", { modified_before_days: 365 }),
		);
		assert.deepEqual(findRequest("Print all non-hidden files in the current directory and its subdirectories"), find(".", { exclude: [".*"] }));
		assert.deepEqual(findRequest("search for word linux in all the regular/normal files in the folder mail."), {
			op: "grep",
			pattern: "linux",
			path: "mail",
		});
		assert.deepEqual(findRequest('Find ".c" and ".h" files in the current directory tree and print lines containing "#include"'), {
			op: "grep",
			pattern: "#include",
			path: ".",
			glob: "**/*.{c,h}",
		});
		// "/home directory" is the folder /home, not the user's home.
		assert.deepEqual(findRequest("Find all *.txt files of user Tecmint under /home directory"), find("/home", { name: "*.txt", owner: "Tecmint" }));
		// Text inside PDFs is not text a search reads.
		assert.equal(findRequest('Search all .pdf files  from directory tree ~/.personal/tips for "hot"'), null);
		// A search for "a word" names no word.
		assert.equal(findRequest("search for a word in all the .C files in the current directory"), null);
	});

	it("reads alternatives of a name, begins-with before contains, set-uid and world bits, and a noun before the string", () => {
		const cases: [string, Record<string, unknown>][] = [
			['display files in current folder ending with "pdf" or "PDF"', find(".", { name: "*{pdf,PDF}" })],
			[
				"Find all files/directories that start with 'readme' (case insensitive) in their names under '/usr/share/doc' directory tree",
				find("/usr/share/doc", { ignore_case: true, name: "readme*", type: "any" }),
			],
			["Find all filenames ending with .c in the current directory tree, case insensitive", find(".", { ignore_case: true, name: "*.c" })],
			['Search for files whose name is "filename" and whose permissions are 777', find(".", { name: "filename", permissions: "777" })],
			["display all the files in the entire file system which have set uid bit set.", find("/", { permissions_any: "4000" })],
			["Locate world-writable files and directories on the system", find("/", { permissions_any: "002", type: "any" })],
			['Display all files in the current directory tree that match "*foo"', find(".", { name: "*foo" })],
			['Search the current directory tree for all files matching either pattern "*.rb" or pattern "*.py"', find(".", { name: "*.{rb,py}" })],
			['display all the C files or Python files in the folder "euler"', find("euler", { name: "*.{c,py}" })],
			["List all files in entire file system owned by the user wnj and are newer than the file ttt", find("/", { newer_than: "ttt", owner: "wnj" })],
			["Print the list of the subdirectories of /path/to/dir", find("/path/to/dir", { type: "directory" })],
			// `ls`: the entries of one folder.
			["Lists content of the current folder.", find(".", { max_depth: 1, type: "any" })],
			[
				"find .gif files in /var/www and below that were last changed between 90 and 180 days ago",
				find("/var/www", { name: "*.gif", modified_before_days: 90, modified_within_days: 180 }),
			],
		];
		for (const [req, args] of cases) assert.deepEqual(findRequest(req), args, req);
		// The files that hold the match are asked (grep -l), not the lines: find_files' contains (round 26; lines before).
		assert.deepEqual(
			findRequest(
				'search for the host "slc02oxm.us.oracle.com" in all the xml files in the current folder and display the files which has the matched content',
			),
			{ op: "find_files", path: ".", name: "*.xml", contains: "slc02oxm.us.oracle.com" },
		);
	});

	it("reads characters named in names, sizes said with have, quoted names after files, strings found first, and the root said twice", () => {
		const cases: [string, Record<string, unknown>][] = [
			["Find all files/directories with space in their names under current directory", find(".", { name: "* *", type: "any" })],
			["Find files with a question mark in their names", find(".", { name: "*[?]*" })],
			["Prints full path to files with dot in name in a current folder.", find(".", { name: "*.*" })],
			["find all the *.conf files under / (root)", find("/", { name: "*.conf" })],
			[
				"find all html files in the current directory which have size greater than 100 bytes and display their details and discard all the errors.",
				find(".", { name: "*.html", min_bytes: 100 }),
			],
			["List files in the current directory and below except for GIT files", find(".", { exclude: [".git"] })],
			['Locate all files "needle.txt"', find(".", { name: "needle.txt" })],
			['Search for files "file1" or "file9"', find(".", { name: "{file1,file9}" })],
			["List all files in the current directory tree including those that may contain spaces in their names", find(".", {})],
		];
		for (const [req, args] of cases) assert.deepEqual(findRequest(req), args, req);
		assert.deepEqual(findRequest('Finds strings with text "searched-string" recursively in all files of current folder.'), {
			op: "grep",
			pattern: "searched-string",
			path: ".",
		});
	});

	it("takes a regular expression on names as find_files' name_regex (emacs \\| read as |), never one on paths", () => {
		assert.deepEqual(
			findRequest('Find files in the current directory tree whose names match regular expression "^.*~$\\|^.*#$"'),
			find(".", { name_regex: "^.*~$|^.*#$" }),
		);
		assert.deepEqual(
			findRequest('List all files/directories under current directory matching the posix-egrep type regex ".+\\.(c|cpp|h)$" in their names'),
			find(".", { name_regex: ".+\\.(c|cpp|h)$", type: "any" }),
		);
		assert.deepEqual(
			findRequest("List in detail regular files from the current directory tree whose names match Perl regular expression '\\w+-\\d+x\\d+\\.\\w+$'"),
			find(".", { name_regex: "\\w+-\\d+x\\d+\\.\\w+$" }),
		);
		// Said of paths, it is find_files' path_regex (round 11), never a name condition.
		assert.deepEqual(
			findRequest(
				"Find all files under /somefolder matching the extended case insensitive regex '\\./(.*\\.error.*|second.*log|.*FFPC\\.log)$' in their paths",
			),
			find("/somefolder", { ignore_case: true, path_regex: "\\./(.*\\.error.*|second.*log|.*FFPC\\.log)$" }),
		);
		for (const req of [
			"Display the files/directories under current directory tree matching the regex '/$prefix$ypatt' where $prefix and $ypatt expands in the current shell",
		])
			assert.equal(findRequest(req), null, req);
	});

	it("reads the files' text by name with read_files, and nothing when a condition read_files cannot apply comes with it", () => {
		assert.deepEqual(
			findRequest("display the contents of all the regular/normal files in the entire file system with the name dummy and discard all the errors"),
			{ op: "read_files", path: "/", glob: "**/dummy" },
		);
		assert.deepEqual(findRequest("Find all *.foo files under current directory and print their contents"), {
			op: "read_files",
			path: ".",
			glob: "**/*.foo",
		});
		for (const req of [
			"display the contents of all the files in the current folder which start with test ( case insensitive search )",
			"find all the files in the current directory which have been modified in the last 30 days and display the contents.",
		])
			assert.equal(findRequest(req), null, req);
	});

	it("reads 'more than A but less than B ago' as a range, and a condition after 'excluding directories' as unexplained", () => {
		assert.deepEqual(
			findRequest("Find all files/directories under current directory that were accessed more than 25 but less than 35 minutes ago"),
			find(".", { type: "any", accessed_before_days: 25 / 1440, accessed_within_days: 35 / 1440 }),
		);
		assert.equal(
			findRequest(
				"Find all files/directories that contain 'packet' (case insensitive) in their names excluding directories that are bigger than 1500 bytes",
			),
			null,
		);
		assert.deepEqual(findRequest("find all files excluding directories"), find(".", {}));
	});

	it("reads depth from below (min_depth), character classes after a name, lists of first letters, two file bounds and quoted names left out", () => {
		const cases: [string, Record<string, unknown>][] = [
			['search for the files in the current folder which begin with the word "kt" followed by a digit', find(".", { name: "kt[0-9]*" })],
			[
				'Search the current directory tree for files whose names begin with "my" and end with "p" followed by any character',
				find(".", { name: "my*p?" }),
			],
			["Search the system for files whose names begin with letters 'a', 'b', or 'c'", find("/", { name: "{a,b,c}*" })],
			['Search for file "file" with minimum depth set to 4', find(".", { min_depth: 4, name: "file" })],
			[
				"search for all the files in the folder /data/images which have been modified after /tmp/start and before /tmp/end",
				find("/data/images", { newer_than: "/tmp/start", older_than: "/tmp/end" }),
			],
			['Search the home directory for filenames starting with "xx" except for "xxx" files', find("~", { exclude: ["xxx"], name: "xx*" })],
		];
		for (const [req, args] of cases) assert.deepEqual(findRequest(req), args, req);
		// Two things left out in one breath ("share and those starting with ..."): not one exclusion.
		assert.equal(
			findRequest(
				"search for the regular/normal file 'java' in the entire file system excluding search in the directories share and those starting with 10_Recommended",
			),
			null,
		);
	});

	it("never takes a function word, a path or a two-part extension for a file name", () => {
		assert.equal(
			findRequest("find all files in the current folder which have been modified in the last 24 hours and whose file name is of length 1"),
			null,
		);
		// The start of the path is a path condition (path_regex, round 11); its end is the name's end.
		assert.deepEqual(
			findRequest("Find all files/directories under current directory tree whose paths start with './sr' and end with 'sc'"),
			find(".", { path_regex: "\\./sr.*", name: "*sc", type: "any" }),
		);
		assert.deepEqual(findRequest("search for all tar.gz files in the current folder"), find(".", { name: "*.tar.gz" }));
		assert.deepEqual(findRequest("find all the findme.txt files in the current folder"), find(".", { name: "findme.txt" }));
		assert.deepEqual(findRequest("Find all directories in level 1 down the $queue directory"), find("$queue", { max_depth: 1, type: "directory" }));
		// ls -R lists folders as well as files (round 12: type any; it was files only before).
		assert.deepEqual(
			findRequest('List the current directory recursively ignoring the "dir1" subdirectory\'s content'),
			find(".", { exclude: ["dir1"], type: "any" }),
		);
	});

	it("reads synonyms as classes: touched/written/read for times, hrs, exceeding, zero-length, whose owner is", () => {
		assert.deepEqual(findRequest("find all files touched in the last 2 hrs"), find(".", { modified_within_days: 2 / 24 }));
		assert.deepEqual(findRequest("find files not read in the last 30 days"), find(".", { accessed_before_days: 30 }));
		assert.deepEqual(findRequest("find all zero-length files"), find(".", { empty: true }));
		assert.deepEqual(findRequest("list files exceeding 5MB in /var/log"), find("/var/log", { min_bytes: 5 * 1024 ** 2 }));
		assert.deepEqual(findRequest("Search  in current directory downwards all files whose owner is aa1"), find(".", { owner: "aa1" }));
	});

	it("keeps what a string search leaves out (find_files' contains), and reads colour and white-space safety as presentation", () => {
		assert.deepEqual(
			findRequest('Search for "#define" in all files in the current directory, excluding backup files *~, *.orig, *.bak'),
			find(".", { exclude: ["*~", "*.orig", "*.bak"], contains: "#define" }),
		);
		assert.deepEqual(findRequest('Search for "whatever" in all files under /dir directory ensuring white space safety in filenames'), {
			op: "grep",
			pattern: "whatever",
			path: "/dir",
		});
		assert.deepEqual(
			findRequest(
				'search for the word "methodNameHere" in all the python files in the folder "/mycool/project/" and display color on the matched lines in the output',
			),
			{ op: "grep", pattern: "methodNameHere", path: "/mycool/project", glob: "**/*.py" },
		);
	});

	it("reads a folder named after the search verb as the folder to find, and a file name searched and shown as a file to read", () => {
		assert.deepEqual(findRequest('search for the directory "mysql" in the /etc folder'), find("/etc", { name: "mysql", type: "directory" }));
		assert.deepEqual(findRequest('search for "message.txt" in the folder .cache/bower and display its contents'), {
			op: "read_files",
			path: ".cache/bower",
			glob: "**/message.txt",
		});
	});
	// Real NL2Bash requests (data/holdout/nl2bash-routes-blind3.jsonl, blind2), each the class it stands for.
	it("mends the cover's own keywords typed one slip away, and never a name, a path or another word", () => {
		assert.deepEqual(findRequest("List all the emptry files in thecurrent directory only."), find(".", { max_depth: 1, empty: true }));
		assert.deepEqual(
			findRequest("Find all files/directoires that were modified more than 3 days ago under $dir directory tree"),
			find("$dir", { type: "any", modified_before_days: 3 }),
		);
		assert.deepEqual(findRequest("Find all files that were last accessed less than7 days ago under /home"), find("/home", { accessed_within_days: 7 }));
		// A slip in a name or a path is kept: "/tmp/drectory" is a folder of that name, not "directory".
		assert.deepEqual(findRequest("find all files in /tmp/drectory"), find("/tmp/drectory", {}));
		// An unknown word one slip from no keyword still leaves the request to the LLM.
		assert.equal(findRequest("find all files in the current directory and delte them"), null);
		assert.equal(mendTypos(" the holders of dirctory and 'emptry' files "), " the holders of directory and 'emptry' files ");
	});

	it("reads places said before 'for', times without 'last', counted character classes and numeric owners", () => {
		assert.deepEqual(
			findRequest("Search /dev/shm and /tmp for regular files not changed in two weeks"),
			find("/dev/shm", { paths: ["/tmp"], modified_before_days: 14 }),
		);
		assert.deepEqual(
			findRequest(
				"Find all files/directories under current directory tree whose names start with 'test' followed by two digits and end with '.txt' extension",
			),
			find(".", { name: "test[0-9][0-9]*.txt", type: "any" }),
		);
		assert.deepEqual(findRequest("Find all files/directories with user id 120 under current directory tree"), find(".", { type: "any", owner: "120" }));
		assert.deepEqual(findRequest("find all files that belong to root user"), find(".", { owner: "root" }));
		assert.deepEqual(findRequest('find files in the current directory having name "filename"'), find(".", { name: "filename" }));
		assert.deepEqual(findRequest("search for the file chapter1 in the folder /work"), find("/work", { name: "chapter1" }));
		// "no user" (find -nouser) is not a user named "no".
		assert.deepEqual(findRequest("display all the files in the file system which belong to no user"), find("/", { unowned: "user" }));
		assert.deepEqual(
			findRequest('Find .jpg files owned by user daniel in the current directory and its sub-directories but ignore any file beginning with "autumn".'),
			find(".", { exclude: ["autumn*"], name: "*.jpg", owner: "daniel" }),
		);
		// The dot of an extension may be left out once "extension" says what it is; "subdirectories directories" is one place word.
		assert.deepEqual(
			findRequest('find all the files in the current directory that have the extension "bar" and donot search in the subdirecotries directories.'),
			find(".", { max_depth: 1, name: "*.bar" }),
		);
		// A bare word after "the file" that is a function word, or an act after it, is not a name to find.
		// (An inode number is find -inum since round 11: "whose" is still no name.)
		assert.deepEqual(findRequest("find the file whose inode is 5 in /tmp"), find("/tmp", { inode: 5 }));
		assert.equal(findRequest("find the file foo and delete it"), null);
	});

	it("reads who has what permission, and leaves clauses joined by 'or' and listings of matched files to the LLM", () => {
		assert.deepEqual(findRequest("find files for which the owner has read/write permissions"), find(".", { permissions_all: "600" }));
		assert.equal(
			findRequest(
				"Find all files/directories in entire file system for which owner has at least read/write permissions, or the group has at least read permission, or others have at least read permission",
			),
			null,
		);
		assert.equal(findRequest("Search for '/usr/bin/perl' in all regular files under current dirctory tree and also show a long listing of them"), null);
	});
	it("reads hidden entries left out however it is said, and a zero byte between names as how they are shown", () => {
		// Blind set 4's misses (lines 666, 1002, 1446), read after its first run, and training/blind rows of the same kinds.
		assert.deepEqual(findRequest("Find all subdirectories of the current directory except hidden ones"), find(".", { exclude: [".*"], type: "directory" }));
		// "hidden directories and files" leaves both out; it does not make the listing files and folders.
		assert.deepEqual(
			findRequest("Find *.c and *.h files under the current directory tree skipping hidden directories and files"),
			find(".", { exclude: [".*"], name: "*.{c,h}" }),
		);
		assert.deepEqual(
			findRequest(
				"Find all regular files under current directory tree containing 'some text' in their names without descending into hidden directories and excluding hidden files",
			),
			find(".", { exclude: [".*"], name: "*some text*" }),
		);
		assert.deepEqual(
			findRequest("Find all files/directories under current directory tree excluding hidden files/directories"),
			find(".", { exclude: [".*"], type: "any" }),
		);
		// Hidden directories alone would still list hidden files; an act or a count after the exclusion stays with the LLM.
		assert.equal(findRequest("Find all directories under ~/code without descending into hidden directories and print them appended with : (colon)"), null);
		assert.equal(findRequest('Replace "foo" with "bar" in all files in the current directory tree except hidden ones'), null);
		assert.equal(findRequest('find all the normal/regular files in the folder "pathfolder" excluding all hidden files and display the count'), null);
		assert.deepEqual(findRequest("Search the directory tree /tmp for regular files using zero delimiter for output"), find("/tmp", {}));
		assert.deepEqual(
			findRequest("Find all .sql files in the current directory recursively and print their path names separated by zeroes"),
			find(".", { name: "*.sql" }),
		);
		assert.equal(findRequest("Print a null delimited list of all *.emlx files/directories under /path/to/folders/ to filelist"), null);
		assert.equal(
			findRequest("Find all directories under current directory and replace all null delimiters with : in the output then remove the last :"),
			null,
		);
	});
	it("reads names given as alternatives ('end in X or Y', 'contain X or Y in their names') as one glob", () => {
		// Blind set 4's misses (lines 210, 750), read after its first run.
		assert.deepEqual(
			findRequest('Search the current directory tree for regular files whose names end in ".shtml" or ".css"'),
			find(".", { name: "*{.shtml,.css}" }),
		);
		assert.deepEqual(
			findRequest("Find all files/directories under current directory tree that contain '1' or 'k' in their names"),
			find(".", { name: "*{1,k}*", type: "any" }),
		);
		// Alternatives of the text inside files are not a name condition.
		assert.equal(findRequest("Find all files under current directory that contain 'foo' or 'bar'"), null);
	});
	it("reads two bounds on one time, the nearer negated, as a window", () => {
		// Blind set 4's miss (line 222), read after its first run.
		assert.deepEqual(
			findRequest("Find files on the system accessed during the last 24 hours but not within the last hour"),
			find("/", { accessed_within_days: 1, accessed_before_days: 1 / 24 }),
		);
		assert.deepEqual(
			findRequest("Find files modified in the last 7 days but not in the last 2 days"),
			find(".", { modified_within_days: 7, modified_before_days: 2 }),
		);
		// The negated span farther than the first leaves nothing between them; an act after the window stays with the LLM.
		assert.equal(findRequest("Find files accessed during the last hour but not within the last 24 hours"), null);
		assert.equal(findRequest("Find files on the system accessed during the last 24 hours but not within the last hour and delete them"), null);
	});
	it("takes the current directory as one of several places, before or after a path", () => {
		// Blind set 4's miss (line 1758), read after its first run.
		assert.deepEqual(findRequest("Find all regular files in current directory and /home/www directory"), find(".", { paths: ["/home/www"] }));
		assert.deepEqual(findRequest("Find all regular files in /home/www and the current directory"), find("/home/www", { paths: ["."] }));
		// A file after "and" is not a place to search.
		assert.equal(findRequest("Find all regular files in current directory and /tmp/list.txt"), null);
	});
	it("reads SUID and SGID named together, in either order and with either joining word, as either bit", () => {
		// Blind set 4's miss (line 18), read after its first run.
		assert.deepEqual(findRequest("List all SGID and SUID files in entire file system"), find("/", { permissions_any: "6000" }));
		assert.deepEqual(findRequest("find all the files with the setuid or setgid bits set"), find(".", { permissions_any: "6000" }));
		// Both bits together is another ask (find -perm -6000), left to the LLM.
		assert.equal(findRequest("find files with both SUID and SGID set"), null);
	});
	it("leaves out every ending a request says the names do not end in", () => {
		// Blind set 4's misses (lines 906, 1746), read after its first run, and training line 9247. Names left out, folders so
		// named still walked (not_names since round 53; exclude, which prunes, before).
		assert.deepEqual(
			findRequest('Search the current directory tree for files whose names do not end in ".exe" and ".dll"'),
			find(".", { not_names: ["*.exe", "*.dll"] }),
		);
		assert.deepEqual(findRequest("Find all files whose filename does not end with *.html."), find(".", { not_names: ["*.html"] }));
		assert.deepEqual(
			findRequest('Search the current directory tree for files whose names do not end in "1" and "2"'),
			find(".", { not_names: ["*1", "*2"] }),
		);
		assert.equal(findRequest("Find all files that do not end with html and delete them"), null);
	});
	// Round 8 (branch s4-routes): classes read from blind set 6's first-run misses and the tuned sets' misses.
	it("reads the lines to find as grep's object: lines beginning or ending with a string, a term before 'lines'", () => {
		assert.deepEqual(findRequest('Search the .c files residing in the Lib/ directory tree for lines beginning with "PyErr"'), {
			op: "grep",
			pattern: "^PyErr",
			path: "Lib",
			glob: "**/*.c",
			regex: true,
		});
		assert.deepEqual(findRequest("Search the .java files from the current directory tree for TODO lines"), {
			op: "grep",
			pattern: "TODO",
			path: ".",
			glob: "**/*.java",
		});
		// The string is escaped: only the anchor is a regular expression.
		assert.deepEqual(findRequest("Search the files in /etc for lines ending with '.conf'"), { op: "grep", pattern: "\\.conf$", path: "/etc", regex: true });
		// No term ("empty lines"), or a regex with a filter find_files' exact contains cannot apply: left to the LLM.
		assert.equal(findRequest("search the files for empty lines"), null);
		assert.equal(findRequest('Search the txt files modified in the last day for lines ending with ";"'), null);
	});

	it("never reads a place inside a quoted string", () => {
		assert.deepEqual(findRequest('Search the .log files in the current directory tree for string "The SAS System"'), {
			op: "grep",
			pattern: "The SAS System",
			path: ".",
			glob: "**/*.log",
		});
		assert.deepEqual(findRequest('Search the .log files in the root directory for string "in the current folder"'), {
			op: "grep",
			pattern: "in the current folder",
			path: "/",
			glob: "**/*.log",
		});
	});

	it("reads the name as a subject (names are, name is, match ... in their names) and a quoted name before the kind noun", () => {
		assert.deepEqual(findRequest("find all files  that names are 'apt' and display detailed list"), find(".", { name: "apt" }));
		assert.deepEqual(findRequest("Find all regular files on the system whose names are 'myfile'"), find("/", { name: "myfile" }));
		assert.deepEqual(
			findRequest("find files in /dir/path/look/up directory that names are dir-name-here"),
			find("/dir/path/look/up", { name: "dir-name-here" }),
		);
		assert.deepEqual(findRequest("Search for 'js' in all files under current directory that match 'some string' in their names"), {
			op: "grep",
			pattern: "js",
			path: ".",
			glob: "**/*some string*",
		});
		assert.deepEqual(findRequest("Find all 'test' directories in the current directory tree"), find(".", { name: "test", type: "directory" }));
		assert.deepEqual(
			findRequest('find all the files which start with the name "Metallica" in the folder "/mp3-collection" and which are bigger than 10MB'),
			find("/mp3-collection", { name: "Metallica*", min_bytes: 10 * 1024 * 1024 }),
		);
		// "extension" puts the dot before the name's end.
		assert.deepEqual(
			findRequest('display all files in the current folder which end with extension "myfile" followed by two digits'),
			find(".", { name: "*.myfile[0-9][0-9]" }),
		);
		// A negated name is never read as the name: every other name (find ! -name foo, round 11).
		assert.deepEqual(findRequest("find files whose name is not foo"), find(".", { name_regex: "(?!(?:foo)$).*" }));
	});

	it("reads each or every before a singular noun as all of them, and 'the first file ... and quit' as one result", () => {
		assert.deepEqual(findRequest("List the full path of each directory under the current working directory"), find(".", { type: "directory" }));
		assert.deepEqual(findRequest("Find the first file/directory under current directory and quit"), find(".", { max_results: 1, type: "any" }));
		assert.equal(findRequest("display the size of each file in /tmp"), null);
	});

	it("reads presentation said in other words: name with size, detailed list after the noun, a null after each path, errors kept out", () => {
		assert.deepEqual(findRequest('display all regular/normal files in the folder "dir" and display the filename along with file size'), find("dir", {}));
		assert.deepEqual(findRequest("Find all files under current directory and append a null character at the end of each of their paths"), find(".", {}));
		assert.deepEqual(
			findRequest("Find all files/directories under current directory appending a null character at the end of each file name/path"),
			find(".", { type: "any" }),
		);
		assert.deepEqual(findRequest("find from / a file called x.c, filtering out permission denied errors"), find("/", { name: "x.c" }));
		assert.deepEqual(findRequest("Find all .txt files under the current directory and below suppressing error messages"), find(".", { name: "*.txt" }));
		// A detailed list of the files a text search matched is a second call on its results.
		assert.equal(findRequest("Find all files containing 'foo' in /tmp and display detailed list"), null);
	});

	it("reads sizes said with between ... in size, of size and have size, and depth said as 'in N levels down' or 'minimum N levels down'", () => {
		assert.deepEqual(findRequest("List all files that are between 10000 and 32000 bytes in size"), find(".", { min_bytes: 10000, max_bytes: 32000 }));
		assert.deepEqual(findRequest("find all the files which are of size 0 bytes."), find(".", { min_bytes: 0, max_bytes: 0 }));
		// "(size 0 bytes)" after "empty" explains the word; it is not a size condition (folders have none).
		assert.deepEqual(
			findRequest("find all the directories in the current folder that are empty(size 0 bytes)"),
			find(".", { type: "directory", empty: true }),
		);
		assert.deepEqual(
			findRequest("Find all directories in 1 level down the current directory"),
			find(".", { min_depth: 1, max_depth: 1, type: "directory" }),
		);
		assert.deepEqual(
			findRequest("Find all empty directories in minimum 2 levels down the root directory"),
			find("/", { min_depth: 2, type: "directory", empty: true }),
		);
	});

	it("leaves out lists: paths, globs, and kinds of file with or without commas", () => {
		assert.deepEqual(
			findRequest("show all directories in the current folder excluding those that are present only in the paths ./media, ./images and ./backups"),
			find(".", { exclude: ["media{,/**}", "images{,/**}", "backups{,/**}"], type: "directory" }),
		);
		assert.deepEqual(findRequest('Search all files in the current directory tree, except *.html and *.svn*, for "SearchString"'), {
			...find(".", { exclude: ["*.html", "*.svn*"] }),
			contains: "SearchString",
		});
		assert.deepEqual(
			findRequest("display all the files in the current folder expect perl shell and python fiels"),
			find(".", { exclude: ["*.pl", "*.pm", "*.sh", "*.py"] }),
		);
		// An unknown word in the list is not a kind of file.
		assert.equal(findRequest("display all the files in the current folder except perl shell and huge files"), null);
	});

	it("mends short keywords only by a swap of neighbours or one dropped letter (not the last), and 'insenstive'", () => {
		assert.equal(mendTypos(" all fiels uder the folder in 24 horus case insenstive "), " all files under the folder in 24 hours case insensitive ");
		// "file" is a word, not "files" missing its s; "filed", "fires" and "tiles" are other words.
		assert.equal(mendTypos(" the file filed fires tiles "), " the file filed fires tiles ");
		// Each word's mending is remembered (a per-word memo): the same answers on later calls, a word's case kept or not as on the first.
		for (let i = 0; i < 3; i++) {
			assert.equal(mendTypos(" all fiels uder the folder in 24 horus case insenstive "), " all files under the folder in 24 hours case insensitive ");
			assert.equal(mendTypos("Fiels in thecurrent directory, Files and FILES"), "files in the current directory, Files and FILES");
		}
		assert.deepEqual(
			findRequest("search for the file centos in /usr folder ( case insenstive search )"),
			find("/usr", { name: "centos", ignore_case: true }),
		);
	});

	it("reads extension lists with the word extension, depth said as where not to go, literal strings, and content 'in it'", () => {
		assert.deepEqual(findRequest("Find all the files in entire file system with the extensions txt or doc"), find("/", { name: "*.{txt,doc}" }));
		assert.deepEqual(findRequest('find files with the extension ".c" and ".h"'), find(".", { name: "*.{c,h}" }));
		assert.deepEqual(findRequest("display all the normal/regular files in the current folder and do not go beyond 3 levels"), find(".", { max_depth: 3 }));
		assert.deepEqual(findRequest("Search for the literal string 'v$process' in all files under current directory"), {
			op: "grep",
			pattern: "v$process",
			path: ".",
		});
		assert.deepEqual(findRequest("Search the current directory tree for an html file having the text 'Web sites' in it"), {
			op: "grep",
			pattern: "Web sites",
			path: ".",
			glob: "**/*.html",
		});
		// Without the word "extension" a list of words is not a list of extensions.
		assert.equal(findRequest("Find all the files in entire file system with txt or doc"), null);
	});

	it("reads the place as the verb's object before 'for', the time as a noun, and the matched files and lines as presentation", () => {
		assert.deepEqual(
			findRequest("Search /var/tmp for files larger than 30 MB modified 31 days ago"),
			find("/var/tmp", { modified_before_days: 31, modified_within_days: 32, min_bytes: 30 * 1024 * 1024 }),
		);
		assert.deepEqual(findRequest('Search the /tmp/x folder for "foo"'), { op: "grep", pattern: "foo", path: "/tmp/x" });
		assert.deepEqual(findRequest("find files which modification time is 7 days ago"), find(".", { modified_before_days: 7, modified_within_days: 8 }));
		assert.deepEqual(
			findRequest(
				"Search for 'Text To Find' in all regular files under current directory tree and show the matched files and matched lines with line numbers",
			),
			{ op: "grep", pattern: "Text To Find", path: "." },
		);
		// "directory files" does not say which kind is listed.
		assert.equal(findRequest("find dirctory files which modification time is  7 days ago"), null);
	});

	it("reads words that only introduce a glob, and a name said as a subject only after a determiner", () => {
		assert.deepEqual(
			findRequest("find files in the /usr/src directory with pattern` *.c  that larger than 100 Kilobytes"),
			find("/usr/src", { name: "*.c", min_bytes: 100 * 1024 }),
		);
		assert.deepEqual(findRequest("find files like '*.log' in /var"), find("/var", { name: "*.log" }));
		assert.equal(
			findRequest(
				"display the name of all directories in the current folder and do not search in sub directories ( mindepth ensures that the current folder name is removed from the output)",
			),
			null,
		);
	});

	it("reads negated comparatives with a file, 'broken' said after the noun, curly double quotes, and 'somebody' or 'or both' as any", () => {
		assert.deepEqual(findRequest("Search for all files not newer than file /tmp/t"), find(".", { older_than: "/tmp/t" }));
		assert.deepEqual(findRequest("Find files in /usr not older than file /tmp/x"), find("/usr", { newer_than: "/tmp/x" }));
		assert.deepEqual(findRequest("find all the links in the current folder which are broken"), find(".", { type: "symlink", broken: true }));
		assert.equal(findRequest("display all the soft links in a  folder which are not broken"), null);
		assert.deepEqual(findRequest("Search the system for the file “testfile.txt”"), find("/", { name: "testfile.txt" }));
		// Inside other quotes they are part of the string.
		assert.deepEqual(findRequest("Search for '“foobar”' in all files under /tmp"), { op: "grep", pattern: "“foobar”", path: "/tmp" });
		assert.deepEqual(
			findRequest("Find regular files in the current directory that are writable by at least somebody"),
			find(".", { permissions_any: "222" }),
		);
		assert.deepEqual(
			findRequest("Find files that are writable by the user, the group, or both under the plsql directory"),
			find("plsql", { permissions_any: "220" }),
		);
		// "not executable by someone" says neither "by nobody" nor "not by everybody" for sure.
		assert.equal(findRequest("find all files not executable by someone"), null);
	});

	// Written for this round as probes of the classes (not from a labeled set): plain phrasings a find task takes.
	it("reads age as an adjective, a span without a verb, depth as a noun, dotted folder names, and 'mention' or 'the word X' as content", () => {
		assert.deepEqual(findRequest("find files more than 30 days old in /tmp"), find("/tmp", { modified_before_days: 30 }));
		assert.deepEqual(findRequest("find files less than 2 hours old"), find(".", { modified_within_days: 2 / 24 }));
		assert.deepEqual(findRequest("find files younger than 3 days"), find(".", { modified_within_days: 3 }));
		assert.deepEqual(findRequest("find all log files from the past week in /var/log"), find("/var/log", { name: "*.log", modified_within_days: 7 }));
		assert.deepEqual(findRequest("list all directories under /opt with a maximum depth of 2"), find("/opt", { max_depth: 2, type: "directory" }));
		assert.deepEqual(findRequest("find the .git directories under /srv"), find("/srv", { name: ".git", type: "directory" }));
		assert.deepEqual(findRequest("find all .txt files containing the word hello"), { op: "grep", pattern: "hello", path: ".", glob: "**/*.txt" });
		assert.deepEqual(findRequest("Find the files in /src that mention 'deprecated'"), { op: "grep", pattern: "deprecated", path: "/src" });
		// ".c files" stay a type; an act, a sort or a superlative after any of these still leaves the request to the LLM.
		assert.deepEqual(findRequest("find all the .c files"), find(".", { name: "*.c" }));
		for (const req of [
			"find files more than 30 days old in /tmp and delete them",
			"find the .git directories under /srv sorted by size",
			"find files from the past week and archive them",
			"find all .py files that mention 'os.system' and explain what they do",
			"list the most recently modified files",
		])
			assert.equal(findRequest(req), null, req);
	});

	it("never reads 'whose names contain X' as the text, reads 'recursively' before any verb, and groups owning files", () => {
		// On main this searched the files' text for "report".
		assert.deepEqual(
			findRequest("Search the current directory tree for files whose names contain 'report' (case insensitive)"),
			find(".", { ignore_case: true, name: "*report*" }),
		);
		// Said of paths, a path condition (path_regex, round 11), never the text.
		assert.deepEqual(findRequest("Search the current directory tree for files whose pathnames contain 'report'"), find(".", { path_regex: ".*report.*" }));
		assert.deepEqual(findRequest("Recursively search for 'needle' in all *.md files under ./docs"), {
			op: "grep",
			pattern: "needle",
			path: "./docs",
			glob: "**/*.md",
		});
		assert.deepEqual(findRequest("find all the files in the current directory owned by the group staff"), find(".", { group: "staff" }));
		assert.deepEqual(findRequest('Find files owned by the "shadow" group'), find(".", { group: "shadow" }));
		assert.deepEqual(findRequest("Find files owned by the root user"), find(".", { owner: "root" }));
		// Never an owner named "the", nor files owned by nobody read as anyone's: "owned by no user" is find -nouser (round 23;
		// was refused before), never an owner named "no".
		assert.equal(findRequest("find files owned by the"), null);
		assert.deepEqual(findRequest("find files owned by no user"), find(".", { unowned: "user" }));
	});

	it("reads numbers said in words and places with no letter in them, and never drops a place it did not read", () => {
		// Blind set 7's line 1526.
		assert.deepEqual(findRequest("Search for files in your home directory which have been modified in the last twenty-four hours"), {
			op: "find_files",
			path: "~",
			modified_within_days: 1,
		});
		assert.deepEqual(findRequest("find all files older than ninety days"), { op: "find_files", path: ".", modified_before_days: 90 });
		assert.deepEqual(findRequest("find files modified in the last twenty four hours"), { op: "find_files", path: ".", modified_within_days: 1 });
		// "under ~" and "in .." were read as the current folder (left over, unseen by the word check).
		assert.deepEqual(findRequest("find all .txt files under ~"), { op: "find_files", path: "~", name: "*.txt" });
		assert.deepEqual(findRequest("find all .txt files in .."), { op: "find_files", path: "..", name: "*.txt" });
		assert.equal(findRequest("find all .txt files in ~ and .."), null);
		assert.deepEqual(findRequest("find all .txt files in the current directory."), { op: "find_files", path: ".", name: "*.txt" });
	});

	it("reads 'present in' as the place, 'exactly N days' with its 'ago' left out, and slips of 'starting' and 'display'", () => {
		// Blind set 7's lines 62, 446 and 614 (read after its first run).
		assert.deepEqual(findRequest("list all the drectories present in the current directory and do not search in the sub directories."), {
			op: "find_files",
			path: ".",
			max_depth: 1,
			type: "directory",
		});
		assert.deepEqual(findRequest("find all the files in the entire file system that have been changed exactly  60 days  and display ten files"), {
			op: "find_files",
			path: "/",
			max_results: 10,
			modified_before_days: 60,
			modified_within_days: 61,
		});
		// With its "ago" the same; an exact depth is not a time.
		assert.deepEqual(
			findRequest("find all the files that have been modified exactly 3 days ago"),
			findRequest("find all the files that have been modified exactly 3 days"),
		);
		assert.equal(findRequest("find files modified exactly 2 levels deep"), null);
		assert.deepEqual(
			findRequest("Find all files/directories startring with 'onlyme' in their names under current directory without going into sub-directories"),
			{
				op: "find_files",
				path: ".",
				max_depth: 1,
				name: "onlyme*",
				type: "any",
			},
		);
		assert.deepEqual(findRequest("dispaly all the files in the current folder"), { op: "find_files", path: "." });
	});
	it("reads files of no user or group, a who's bit lacking, and slips, brackets and doubled words round a plain find (round 10)", () => {
		// Training lines and blind8's 1239 (read after its first run): find -nouser, -nogroup, both, either.
		assert.deepEqual(findRequest("display all the files in the file system which belong to no user"), { op: "find_files", path: "/", unowned: "user" });
		assert.deepEqual(findRequest("find all the files in the filesystem which do not belong to any group"), {
			op: "find_files",
			path: "/",
			unowned: "group",
		});
		assert.deepEqual(findRequest("find all files in the file system which have no user and no group"), { op: "find_files", path: "/", unowned: "both" });
		assert.deepEqual(findRequest("find all the files from root folder which have nogroup or noname and dispaly their details."), {
			op: "find_files",
			path: "/",
			unowned: "either",
		});
		// A named group left out is not "no group"; a second ask after it still refuses.
		assert.equal(findRequest("display all the files in the folder /home which do not belong to the group test"), null);
		assert.equal(
			findRequest("display a list of all the files in the file system which do not belong to any user and search only in jfs and jfs2 file systems"),
			null,
		);
		// blind8's 399: one who's bit missing (find ! -perm -020); "and" between two who is not one reading.
		assert.deepEqual(findRequest("Search the /path directory tree for files lacking the group writable bit"), {
			op: "find_files",
			path: "/path",
			permissions_lacking: "020",
		});
		assert.equal(findRequest("find files lacking the user and group write bits"), null);
		// Slips: "excatly" (a swap), "ffiles" (a letter typed twice), "whic", "finda ll".
		assert.deepEqual(
			findRequest("find all the html files in the current folder which have been modified excatly 7 days before"),
			findRequest("find all the html files in the current folder which have been modified exactly 7 days before"),
		);
		assert.deepEqual(findRequest("find all ffiles in /tmp"), { op: "find_files", path: "/tmp" });
		assert.deepEqual(findRequest("Search  in current directory downwards all files whic  have permission 777 ."), {
			op: "find_files",
			path: ".",
			permissions: "777",
		});
		assert.deepEqual(findRequest("finda ll the files in the current folder"), { op: "find_files", path: "." });
		assert.equal(mendTypos("the fills are whole"), "the fills are whole");
		// A place in brackets, the root named then written, a span with a needless "ago", errors not reported.
		assert.deepEqual(findRequest("find all the files (under root file system /) that were updated in the last 24 hours"), {
			op: "find_files",
			path: "/",
			modified_within_days: 1,
		});
		assert.deepEqual(findRequest("find all the files in the entire file system that have been accessed in the last 60 days ago"), {
			op: "find_files",
			path: "/",
			accessed_within_days: 60,
		});
		assert.deepEqual(findRequest("List all *.jar files/directories under /usr, /home and /tmp directory without reporting errors"), {
			op: "find_files",
			path: "/usr",
			paths: ["/home", "/tmp"],
			name: "*.jar",
			type: "any",
		});
		assert.equal(findRequest("find all files without reporting them to the admin"), null);
	});
	it("reads calendar dates (find -newermt) and several roots said with their kind before 'for' (round 10)", () => {
		// blind8's 27, 507 and 723 (read after its first run): a day with no year is this year's.
		const year = new Date().getFullYear();
		assert.deepEqual(findRequest("Print the list of regular files from the current directory that were last modified on November, 22"), {
			op: "find_files",
			path: ".",
			modified_from_date: `${year}-11-22`,
			modified_before_date: `${year}-11-23`,
		});
		assert.deepEqual(findRequest("Find all files/directories that were modified after February 1st under '/usr' directory tree"), {
			op: "find_files",
			path: "/usr",
			type: "any",
			modified_from_date: `${year}-02-02`,
		});
		assert.deepEqual(findRequest("Find all files changed on the 29th of September, 2008, starting from the current directory"), {
			op: "find_files",
			path: ".",
			modified_from_date: "2008-09-29",
			modified_before_date: "2008-09-30",
		});
		assert.deepEqual(findRequest("find files modified before Jan 5 2020"), { op: "find_files", path: ".", modified_before_date: "2020-01-05" });
		// A day no month has is no date; a time of day is more than a day.
		assert.equal(findRequest("find files modified on February 30"), null);
		assert.equal(findRequest("find files modified on November 22 10:30"), null);
		// blind8's 1251.
		assert.deepEqual(findRequest("Search directory trees /usr/share/doc, /usr/doc, and /usr/locale/doc for files named 'instr.txt'"), {
			op: "find_files",
			path: "/usr/share/doc",
			paths: ["/usr/doc", "/usr/locale/doc"],
			name: "instr.txt",
		});
	});
	it("reads 'files name X', two version-control tools left out, and the null separator said otherwise (round 10)", () => {
		assert.deepEqual(findRequest("Find all files name passwd in the root directory and all its sub-directories."), {
			op: "find_files",
			path: "/",
			name: "passwd",
		});
		// blind8's 1755: both tools' folders pruned, as one is.
		assert.deepEqual(findRequest('Search the current directory for files whose names start with "messages." ignoring SVN and CVS files'), {
			op: "find_files",
			path: ".",
			exclude: [".svn", "CVS"],
			name: "messages.*",
		});
		// blind8's 219: the separator is presentation.
		assert.deepEqual(findRequest("display list of all the files in the current directory (print0 handles file names with newlines or spaces)"), {
			op: "find_files",
			path: ".",
		});
		assert.equal(findRequest("display list of all the files in the current directory (print0 pipes them to xargs)"), null);
	});

	it("reads case-insensitivity said at length, a name not to match, 'by the name', a path as the place and ids of users (round 11)", () => {
		assert.deepEqual(findRequest('locate the files called "notes.md" in a case insensitive way'), {
			op: "find_files",
			path: ".",
			ignore_case: true,
			name: "notes.md",
		});
		assert.deepEqual(findRequest("Find the files whose name is report.txt and contains both upper case and lower case letters under /srv directory"), {
			op: "find_files",
			path: "/srv",
			ignore_case: true,
			name: "report.txt",
		});
		// The case variants must be the name's: "named foo, bar, or any other combination ..." names two things.
		assert.deepEqual(
			findRequest("Find all directories named src, SRC, or any other combination of uppercase and lowercase letters in the current directory"),
			{
				op: "find_files",
				path: ".",
				ignore_case: true,
				name: "src",
				type: "directory",
			},
		);
		assert.equal(findRequest("Find all files named foo, bar, or any other combination of uppercase and lowercase letters in the current directory"), null);
		// find ! -iname x: a name regex matching every other name, so the case rule applies to it.
		assert.deepEqual(findRequest('Find all files in /opt whose names are not "core", ignoring the case'), {
			op: "find_files",
			path: "/opt",
			ignore_case: true,
			name_regex: "(?!(?:core)$).*",
		});
		assert.deepEqual(findRequest("list all files not named '*.bak' under the current directory"), {
			op: "find_files",
			path: ".",
			name_regex: "(?!(?:.*\\.bak)$).*",
		});
		assert.deepEqual(findRequest("Find all folders by the name 'cache' in the /var directory"), {
			op: "find_files",
			path: "/var",
			name: "cache",
			type: "directory",
		});
		assert.deepEqual(findRequest("find the files named 'a.conf' in the path /etc/app"), { op: "find_files", path: "/etc/app", name: "a.conf" });
		// "matching the path X" is a condition on paths, not where to look.
		assert.equal(findRequest("find the files under /etc matching the path /etc/app"), null);
		assert.deepEqual(findRequest("list the files which are owned by the user with uid 0 in the current folder"), {
			op: "find_files",
			path: ".",
			owner: "0",
		});
		assert.deepEqual(findRequest("display the files excluding files named core in the /tmp folder"), { op: "find_files", path: "/tmp", exclude: ["core"] });
	});

	it("reads calendar days said in brackets, the day before yesterday, pagers and one-line output, and 'using regular expressions' (round 11)", () => {
		const yesterday = { daystart: true, modified_within_days: 2, modified_before_days: 1 };
		assert.deepEqual(findRequest("find the log files modified exactly yesterday (from 00:00 to 23:59)"), {
			op: "find_files",
			path: ".",
			name: "*.log",
			...yesterday,
		});
		assert.deepEqual(findRequest("list all the files in /var/tmp which have been modified yesterday (from the start of day 00:00 to 23:59)"), {
			op: "find_files",
			path: "/var/tmp",
			...yesterday,
		});
		// The bracket is how days are counted, never a place.
		assert.deepEqual(findRequest("find all the files that have been modified today (from the start of the day)"), {
			op: "find_files",
			path: ".",
			daystart: true,
			modified_within_days: 1,
		});
		assert.equal(findRequest("find all the files (from 00:00 to 23:59)"), null);
		assert.deepEqual(findRequest("find the text files modified the day before yesterday"), {
			op: "find_files",
			path: ".",
			name: "*.txt",
			daystart: true,
			modified_within_days: 3,
			modified_before_days: 2,
		});
		assert.deepEqual(findRequest("List all files under /srv recursively, pausing for user input after each page"), { op: "find_files", path: "/srv" });
		assert.deepEqual(findRequest("list all the directories in /srv and pass the output to the less pager"), {
			op: "find_files",
			path: "/srv",
			type: "directory",
		});
		assert.deepEqual(findRequest("find all the symlinks in /usr/lib and print them on a single line (to avoid trouble with spaces)"), {
			op: "find_files",
			path: "/usr/lib",
			type: "symlink",
		});
		assert.deepEqual(findRequest("find all the java files in the current folder using regular expressions"), {
			op: "find_files",
			path: ".",
			name: "*.java",
		});
		// With no name, "using regular expressions" leaves the pattern unsaid.
		assert.equal(findRequest("find files in the current folder using a regex"), null);
	});

	it("reads 'the regex X' as a regular expression only where search_text reads it the same (round 11)", () => {
		assert.deepEqual(findRequest('Search for the Perl regex "^\\s+TODO" in *.py files under the current directory'), {
			op: "grep",
			pattern: "^\\s+TODO",
			path: ".",
			glob: "**/*.py",
			regex: true,
		});
		// grep's basic dialect: \| is alternation, a bare | or + is a literal character JavaScript would read otherwise.
		assert.deepEqual(findRequest("Search for the regex 'warn\\|error' in all the files under /var/log"), {
			op: "grep",
			pattern: "warn|error",
			path: "/var/log",
			regex: true,
		});
		assert.equal(findRequest("Search for the regex 'a+b' in all the files under /var/log"), null);
		assert.deepEqual(findRequest("Search for the extended regex 'a+b' in all the files under /var/log"), {
			op: "grep",
			pattern: "a+b",
			path: "/var/log",
			regex: true,
		});
		assert.equal(findRequest("Search for the regex '$PATTERN' in all the files under /var/log"), null);
		assert.equal(findRequest("Search for the perl regex '[a-' in all the files under /var/log"), null);
		// A regex with a size condition would be find_files' contains, which is exact text: not answered.
		assert.equal(findRequest("Search for the extended regex 'a+b' in all the files under /var/log larger than 1MB"), null);
	});

	it("reads regexes on whole paths and find -path said in words as path_regex, never an exclusion of paths (round 11)", () => {
		assert.deepEqual(findRequest("Find all files/directories under current directory that match the case insensitive regex ./\\(src\\|lib\\).*"), {
			op: "find_files",
			path: ".",
			ignore_case: true,
			path_regex: "./(src|lib).*",
			type: "any",
		});
		assert.deepEqual(findRequest("Find all directories under /opt matching the extended regex '.*/(bin|sbin)$' in their paths"), {
			op: "find_files",
			path: "/opt",
			path_regex: ".*/(bin|sbin)$",
			type: "directory",
		});
		// Emacs syntax (find's default): a bare | is the character; JavaScript would read alternation.
		assert.equal(findRequest("Find all files under /opt matching the regex '.*/a|b' in their paths"), null);
		assert.equal(findRequest("Find all files under /opt matching the regex '$PREFIX/.*' in their paths"), null);
		assert.deepEqual(findRequest('Find files whose pathnames contain "build"'), { op: "find_files", path: ".", path_regex: ".*build.*" });
		assert.deepEqual(findRequest("list the files with paths ending with '/conf/app.ini' under /etc"), {
			op: "find_files",
			path: "/etc",
			path_regex: ".*/conf/app\\.ini",
		});
		assert.deepEqual(findRequest('display all the files only in the path "./lib*/x"'), { op: "find_files", path: ".", path_regex: "\\./lib.*/x" });
		// Left out by path: an exclusion, as before.
		assert.deepEqual(findRequest('display all the files in the current folder excluding those that are present in the path "./etc"'), {
			op: "find_files",
			path: ".",
			exclude: ["etc{,/**}"],
		});
	});

	it("reads negated size bounds, 'more recently than' a file, 'either' before who, 'do not begin with', and print0 notes unbracketed (round 11)", () => {
		assert.deepEqual(findRequest("find the regular files in /srv that are not larger than 2MB"), {
			op: "find_files",
			path: "/srv",
			max_bytes: 2 * 1024 * 1024,
		});
		assert.deepEqual(findRequest("list all files under /srv not less than 10k"), { op: "find_files", path: "/srv", min_bytes: 10 * 1024 });
		// Only sizes: "not more than 3 days old" is no size bound.
		assert.equal(findRequest("list all files under /srv not more than 3 days old"), null);
		assert.deepEqual(findRequest("Find files in /var/www that were changed more recently than /var/www/index.html"), {
			op: "find_files",
			path: "/var/www",
			newer_than: "/var/www/index.html",
		});
		assert.deepEqual(findRequest("find files which are readable by either the owner or the group"), {
			op: "find_files",
			path: ".",
			permissions_any: "440",
		});
		assert.deepEqual(findRequest("Find all files whose names do not start with 'tmp' in /data"), {
			op: "find_files",
			path: "/data",
			name_regex: "(?!(?:tmp.*)$).*",
		});
		assert.deepEqual(findRequest("Find the files under /data that were last modified more than 30 days"), {
			op: "find_files",
			path: "/data",
			modified_before_days: 30,
		});
		assert.deepEqual(findRequest("display all the pdf files in the folder /docs, print0 is used to handle files with spaces in their names"), {
			op: "find_files",
			path: "/docs",
			name: "*.pdf",
		});
	});

	it("reads two name conditions said of names as name and name regex, never with an 'or' or a place's name, and never output to a file (round 11)", () => {
		assert.deepEqual(findRequest("Find all *.log, *.txt files under /srv that match the pattern *error* in their names"), {
			op: "find_files",
			path: "/srv",
			name_regex: ".*error.*",
			name: "*.{log,txt}",
		});
		assert.deepEqual(findRequest("find all the text files in the folder /docs which have spaces in their names"), {
			op: "find_files",
			path: "/docs",
			name_regex: ".*\\.txt",
			name: "* *",
		});
		assert.deepEqual(findRequest('find all the pdf files in the current directory which have the word "draft" in their name'), {
			op: "find_files",
			path: ".",
			name_regex: ".*draft.*",
			name: "*.pdf",
		});
		assert.equal(findRequest('find all the jar files in the current folder and display all the ".class" files or files ending with jar'), null);
		assert.equal(findRequest("find files named foo.txt in the folder named bar"), null);
		// Written to a file: a write, and the file's name is no name to find (on main the cover took it for one).
		assert.equal(findRequest("Find all files under current directory and print the list to a file named 'out'"), null);
		assert.equal(findRequest("find all the *.swp files in the current folder and write them into the file swaps.txt"), null);
	});

	it("reads 'starting with the word X', the computer as the whole file system, and header files (round 11)", () => {
		assert.deepEqual(findRequest('list the files starting with the string "tmp" under /var'), { op: "find_files", path: "/var", name: "tmp*" });
		assert.deepEqual(findRequest("find all of the empty files on the whole machine"), { op: "find_files", path: "/", empty: true });
		assert.deepEqual(findRequest("find all header files in /usr/include"), { op: "find_files", path: "/usr/include", name: "*.{h,hpp}" });
		// A computer named in a path or a folder's name is not the root.
		assert.deepEqual(findRequest("find all text files in the computer folder"), { op: "find_files", path: "computer", name: "*.txt" });
	});

	it("reads a status change (find -ctime) as its own time, and a plain 'changed' as the last write, as before (round 11)", () => {
		assert.deepEqual(findRequest("Find files under /etc whose status was changed within the last hour"), {
			op: "find_files",
			path: "/etc",
			changed_within_days: 1 / 24,
		});
		assert.deepEqual(findRequest("Get the files that last had their meta information changed more than 3 days ago"), {
			op: "find_files",
			path: ".",
			changed_before_days: 3,
		});
		assert.deepEqual(findRequest("Find all files in /srv whose status was changed exactly 2 days ago"), {
			op: "find_files",
			path: "/srv",
			changed_before_days: 2,
			changed_within_days: 3,
		});
		assert.deepEqual(findRequest("find all the files changed in the last 2 days"), { op: "find_files", path: ".", modified_within_days: 2 });
	});

	it("reads counts of hard links (find -links), and a verb's typo (round 11)", () => {
		assert.deepEqual(findRequest("Serach in the /srv directory all files which have more than 2 links"), { op: "find_files", path: "/srv", min_links: 3 });
		assert.deepEqual(findRequest("find all files in the current folder which have exactly 1 link"), null);
		assert.deepEqual(findRequest("find all files in the current folder which have exactly 3 links"), {
			op: "find_files",
			path: ".",
			min_links: 3,
			max_links: 3,
		});
		// Until round 11 no tool applied this condition (find -links +1), and the request went to the LLM.
		assert.deepEqual(findRequest("Find all files under /mountpoint and below which have hard links"), {
			op: "find_files",
			path: "/mountpoint",
			min_links: 2,
		});
		assert.deepEqual(findRequest("list the files under /data with fewer than 2 links"), { op: "find_files", path: "/data", max_links: 1 });
		// Links to a file are no count: one file's hard links (find -samefile, below).
		assert.deepEqual(findRequest("Find all hard links to file1 under /home directory"), { op: "find_files", path: "/home", same_file: "file1" });
		// Symbolic links stay a kind of entry.
		assert.deepEqual(findRequest("find all symbolic links in /tmp"), { op: "find_files", path: "/tmp", type: "symlink" });
	});

	it("reads an inode number and one file's hard links (find -inum, -samefile), never their negation (round 11)", () => {
		assert.deepEqual(findRequest("Find the file whose inode number is 1316256"), { op: "find_files", path: ".", inode: 1316256 });
		assert.deepEqual(findRequest("Find all hard links to report.txt under /srv directory"), { op: "find_files", path: "/srv", same_file: "report.txt" });
		assert.deepEqual(findRequest('list the files in /srv that are the same file as "/srv/a/b.txt"'), {
			op: "find_files",
			path: "/srv",
			same_file: "/srv/a/b.txt",
		});
		assert.equal(findRequest('Find all files under the current directory that are not the same file as "/home/nez/file.txt"'), null);
		assert.equal(findRequest("Search for all files with same inode NUM"), null);
	});

	it("reads common find wordings written for round 11 (no labeled row had them): full paths, size zero, names containing, dangling targets, suffixes, bare extension lists, UIDs", () => {
		assert.deepEqual(findRequest('Find files named "core" in / and print their full paths'), { op: "find_files", path: "/", name: "core" });
		assert.deepEqual(findRequest("Find all files in the current directory and its subdirectories with size zero"), {
			op: "find_files",
			path: ".",
			empty: true,
		});
		// "size 0k" is a size, read as one: nothing below zero.
		assert.deepEqual(findRequest("Find all files with a size of 0k in /tmp"), { op: "find_files", path: "/tmp", min_bytes: 0, max_bytes: 0 });
		assert.deepEqual(findRequest('Find all files in the current folder with names containing "backup"'), { op: "find_files", path: ".", name: "*backup*" });
		assert.deepEqual(findRequest("Find all symlinks in /usr/lib that point to nonexistent files"), {
			op: "find_files",
			path: "/usr/lib",
			type: "symlink",
			broken: true,
		});
		assert.deepEqual(findRequest("Find files with the suffix .orig in the current directory tree"), { op: "find_files", path: ".", name: "*.orig" });
		assert.deepEqual(findRequest("Search the current directory for all files ending in .c or .h"), { op: "find_files", path: ".", name: "*{.c,.h}" });
		assert.deepEqual(findRequest("Find regular files in the current directory tree that are owned by UID 1000"), {
			op: "find_files",
			path: ".",
			owner: "1000",
		});
		assert.deepEqual(findRequest("Find all files in the current directory (not in subdirectories) ending with .sh"), {
			op: "find_files",
			path: ".",
			max_depth: 1,
			name: "*.sh",
		});
		assert.deepEqual(findRequest("Find all files whose names contain a space in the current directory"), { op: "find_files", path: ".", name: "* *" });
		assert.deepEqual(findRequest("Find all directories in the current folder whose names start with a dot"), {
			op: "find_files",
			path: ".",
			name: ".*",
			type: "directory",
		});
		// "empty" as the verb is no condition.
		assert.equal(findRequest("Find all directories by the name cache and empty them"), null);
		// find lists dot files anyway.
		assert.deepEqual(findRequest("List all files in /etc including hidden files"), { op: "find_files", path: "/etc" });
		// A negated owner is find ! -user (not_owner, round 17); sorting by time is still unanswered.
		assert.deepEqual(findRequest("Find all regular files in the current directory that are not owned by root"), {
			op: "find_files",
			path: ".",
			not_owner: "root",
		});
		assert.equal(findRequest("Find the 10 most recently modified files in the current directory"), null);
	});

	it("reads grep on one named file said of its lines (round 11), and nothing when more is asked of them", () => {
		assert.deepEqual(findRequest('Print lines in file.txt that contain "hello"'), { op: "grep", pattern: "hello", path: "file.txt" });
		assert.deepEqual(findRequest('Find lines containing "failed" in /var/log/auth.log'), { op: "grep", pattern: "failed", path: "/var/log/auth.log" });
		assert.deepEqual(findRequest('Print the line numbers of lines containing "import" in main.py'), { op: "grep", pattern: "import", path: "main.py" });
		// "matching" is grep's basic regex: a bare + is a literal JavaScript would read otherwise.
		assert.deepEqual(findRequest("Show the lines matching 'err\\|warn' in /var/log/syslog"), {
			op: "grep",
			pattern: "err|warn",
			path: "/var/log/syslog",
			regex: true,
		});
		for (const req of [
			'Print lines in file.txt that contain "hello" and delete them',
			'Print lines in file.txt that do not contain "hello"',
			'Print the number of lines containing "x" in f.txt',
			'Print lines in file.txt that contain "hello" sorted by length',
			'Show the lines matching "a+b" in /var/log/syslog',
		])
			assert.equal(findRequest(req), null, req);
	});

	it("reads a third batch of wordings written for the round, and no longer lists folders for 'files in all subdirectories of X' or takes 'at depth 2' for a bound", () => {
		// Before: type directory (the word "subdirectories" was read as what is listed).
		assert.deepEqual(findRequest("Find all files in all subdirectories of /opt named config.json"), {
			op: "find_files",
			path: "/opt",
			name: "config.json",
		});
		assert.deepEqual(findRequest('search all the directories in /home for files named ".bashrc"'), { op: "find_files", path: "/home", name: ".bashrc" });
		// Before: max_depth 2 alone (every level down to 2).
		assert.deepEqual(findRequest("Find the directories at depth 2 under /usr"), {
			op: "find_files",
			path: "/usr",
			max_depth: 2,
			min_depth: 2,
			type: "directory",
		});
		assert.deepEqual(findRequest("find all files named foo.c or bar.c in the current directory"), { op: "find_files", path: ".", name: "{foo.c,bar.c}" });
		assert.deepEqual(findRequest("Find the files which do not have the extension .txt in the current folder"), {
			op: "find_files",
			path: ".",
			not_names: ["*.txt"],
		});
		assert.deepEqual(findRequest("Find all files that don't end with .bak in /srv"), { op: "find_files", path: "/srv", not_names: ["*.bak"] });
		assert.deepEqual(findRequest("find all the files in the current directory with a size between 1MB and 10MB"), {
			op: "find_files",
			path: ".",
			min_bytes: 1024 * 1024,
			max_bytes: 10 * 1024 * 1024,
		});
		assert.deepEqual(findRequest("Find all files in the current directory modified after 2020-01-01"), {
			op: "find_files",
			path: ".",
			modified_from_date: "2020-01-02",
		});
		assert.equal(findRequest("Find all files in the current directory modified on 2020-13-01"), null);
		assert.deepEqual(findRequest("Find files in /srv with the owner www-data"), { op: "find_files", path: "/srv", owner: "www-data" });
		assert.deepEqual(findRequest('List every file in /opt whose name includes "java"'), { op: "find_files", path: "/opt", name: "*java*" });
		// A language or a one-letter extension quoted before "files" is a type (before: files named "C").
		assert.deepEqual(findRequest('display all the "C" files in the current folder'), { op: "find_files", path: ".", name: "*.c" });
		assert.deepEqual(findRequest("display all the 'test' files in the current folder"), { op: "find_files", path: ".", name: "test" });
	});

	it("reads lines containing X as the verb's object, 'all occurrences of X', and line numbers as what search_text shows (round 11)", () => {
		assert.deepEqual(findRequest('display all the lines containing "GET" in all the files in the /srv/logs directory'), {
			op: "grep",
			pattern: "GET",
			path: "/srv/logs",
		});
		assert.deepEqual(findRequest('Recursively search for all occurrences of "foo" in *.txt files under the current directory'), {
			op: "grep",
			pattern: "foo",
			path: ".",
			glob: "**/*.txt",
		});
		assert.deepEqual(findRequest('Search for "main(" in all .c files in the current folder and display the line numbers'), {
			op: "grep",
			pattern: "main(",
			path: ".",
			glob: "**/*.c",
		});
	});

	it("reads the sticky bit and 'not owned by any user' (round 11, written wordings)", () => {
		assert.deepEqual(findRequest("Find all files in /opt with the sticky bit set"), { op: "find_files", path: "/opt", permissions_any: "1000" });
		assert.deepEqual(findRequest("Find all files under /srv not owned by any user"), { op: "find_files", path: "/srv", unowned: "user" });
		assert.deepEqual(findRequest("find all files in /srv not owned by root"), { op: "find_files", path: "/srv", not_owner: "root" });
	});

	it("reads, after blind11's first run (in-sample for it): 'finds string X in', exclusion lists without commas, 'and one level down', a misspelt February", () => {
		assert.deepEqual(findRequest('Recursively finds string with text "needle" in all files of a current folder'), {
			op: "grep",
			pattern: "needle",
			path: ".",
		});
		assert.deepEqual(findRequest("Recursively finds string 'int main' in all *.c files from current folder."), {
			op: "grep",
			pattern: "int main",
			path: ".",
			glob: "**/*.c",
		});
		assert.deepEqual(findRequest("display all the directories in the folder /srv except logs and cache directories"), {
			op: "find_files",
			path: "/srv",
			exclude: ["logs", "cache"],
			type: "directory",
		});
		assert.deepEqual(findRequest("find all files under the current folder except a1 b2 c3 folder"), {
			op: "find_files",
			path: ".",
			exclude: ["a1", "b2", "c3"],
		});
		// Which kind, or where: not names to leave out.
		assert.equal(findRequest("display all the files in the current folder except the hidden and empty folders"), null);
		assert.deepEqual(findRequest("display all directories in current folder excluding those that are present in .git folder"), {
			op: "find_files",
			path: ".",
			exclude: [".git"],
			type: "directory",
		});
		assert.deepEqual(findRequest("Find all files named 'passwd' in the current directory and one level down"), {
			op: "find_files",
			path: ".",
			max_depth: 2,
			name: "passwd",
		});
		assert.deepEqual(findRequest("display all the files in the /srv folder which have been modified after Feburary 1st, 2020"), {
			op: "find_files",
			path: "/srv",
			modified_from_date: "2020-02-02",
		});
	});
});

// Round 12 (branch s6-routes): classes of phrasing from blind12's misses, read after its first run, each with other
// wordings of the class and the near wordings it must still refuse.
describe("router/find: round 12 classes", () => {
	/** One argument of the call (findRequest's result is a union of find_files and search_text calls). */
	const arg = (text: string, key: string) => (findRequest(text) as Record<string, unknown> | null)?.[key];

	it("reads a time said as a range as two bounds on the same time (find -amin -6 -amin +2, -mtime +50 -mtime -100)", () => {
		assert.deepEqual(findRequest("Find all files/drectories under '/u/bill' directory tree that have been accessed in the last 2 to 6 minutes"), {
			op: "find_files",
			path: "/u/bill",
			type: "any",
			accessed_before_days: 2 / 1440,
			accessed_within_days: 6 / 1440,
		});
		assert.deepEqual(findRequest("Find all the files which are modified more than 50 days back and less than 100 days"), {
			op: "find_files",
			path: ".",
			modified_before_days: 50,
			modified_within_days: 100,
		});
		// No verb: an age, the last write's; a number in brackets restates the first bound.
		assert.deepEqual(findRequest("display all the files in the current folder that are at least one week old (7 days) but less then 30 days old"), {
			op: "find_files",
			path: ".",
			modified_before_days: 7,
			modified_within_days: 30,
		});
		assert.deepEqual(findRequest("list the .log files in /var/log modified in the past 1-3 hours"), {
			op: "find_files",
			path: "/var/log",
			name: "*.log",
			modified_before_days: 1 / 24,
			modified_within_days: 3 / 24,
		});
		assert.deepEqual(findRequest("find all files whose status was changed more than 2 days ago and less than 5 days ago"), {
			op: "find_files",
			path: ".",
			changed_before_days: 2,
			changed_within_days: 5,
		});
		// Nothing between the bounds, a bracket that says another number, or no word of time: refused.
		assert.equal(findRequest("find all files accessed in the last 6 to 2 minutes"), null);
		assert.equal(findRequest("find all files that are at least one week old (8 days) but less than 30 days old"), null);
		assert.equal(findRequest("find all files that are more than 5 days and less than 10 days"), null);
		assert.equal(findRequest("find files larger than 5 days and less than 10 days"), null);
	});

	it("reads a calendar day 'of the current year' as the day this year", () => {
		const year = new Date().getFullYear();
		assert.deepEqual(findRequest("list files in /usr modified after February 1 of the current year"), {
			op: "find_files",
			path: "/usr",
			modified_from_date: `${year}-02-02`,
		});
		assert.deepEqual(findRequest("find all files in /srv modified on March 3rd of this year"), {
			op: "find_files",
			path: "/srv",
			modified_from_date: `${year}-03-03`,
			modified_before_date: `${year}-03-04`,
		});
		assert.equal(findRequest("list files in /usr modified after February 1 of the previous year"), null);
	});

	it("reads an ordinal level as that depth only (find -mindepth N -maxdepth N)", () => {
		assert.deepEqual(findRequest("Print the list of 1st level subdirectories in /fss/fin"), {
			op: "find_files",
			path: "/fss/fin",
			type: "directory",
			min_depth: 1,
			max_depth: 1,
		});
		assert.deepEqual(findRequest("list the second-level directories in /tmp"), {
			op: "find_files",
			path: "/tmp",
			type: "directory",
			min_depth: 2,
			max_depth: 2,
		});
		// "third-level files" numbered is formatting: still refused.
		assert.equal(findRequest("Print numbered list of all third-level files under the current directory"), null);
	});

	it("leaves out a quoted './dir', a './prefix*' and the files ending with a quoted string", () => {
		assert.deepEqual(arg("Find all files/directories with '.js' extension under current directory tree without descending into './directory'", "exclude"), [
			"directory{,/**}",
		]);
		assert.deepEqual(
			findRequest("Search the current directory recursively for files last modified within the past 24 hours ignoring paths ./es* and ./en*"),
			{ op: "find_files", path: ".", exclude: ["es*{,/**}", "en*{,/**}"], modified_within_days: 1 },
		);
		assert.deepEqual(findRequest('display all files in the folder /usr/src excluding those ending with ",v"'), {
			op: "find_files",
			path: "/usr/src",
			not_names: ["*,v"],
		});
		assert.deepEqual(arg("list the files under /etc except the ones that end with '.bak' or '.old'", "not_names"), ["*.bak", "*.old"]);
		// Never the ending as the name searched for.
		assert.notEqual(arg('display all files in the folder /usr/src excluding those ending with ",v"', "name"), "*,v");
	});

	it("takes a name-sorted walk for what find_files gives, and not a reversed one", () => {
		assert.deepEqual(findRequest("Find all files/directories under current directory bypassing file hierarchies in lexicographical order"), {
			op: "find_files",
			path: ".",
			type: "any",
		});
		assert.deepEqual(findRequest("list all the .txt files under /docs in alphabetical order"), { op: "find_files", path: "/docs", name: "*.txt" });
		assert.equal(findRequest('List all file paths under the current directory with case insensitive name ".note" in reverse alphabetic order'), null);
		assert.equal(findRequest("list all the .txt files under /docs in reverse alphabetical order"), null);
	});
	it("leaves out a glob said alone, and a path below the place searched as that path only", () => {
		assert.deepEqual(findRequest("Find all files files under the current directory except *.txt"), { op: "find_files", path: ".", exclude: ["*.txt"] });
		assert.deepEqual(arg("find all files under /var except *.log and *.tmp", "exclude"), ["*.log", "*.tmp"]);
		assert.deepEqual(findRequest('Search the /root directory recursively for the regular file named "myfile" ignoring /root/work/'), {
			op: "find_files",
			path: "/root",
			exclude: ["work{,/**}"],
			name: "myfile",
		});
		// "X/*" is what is in X (find -path 'X/*'), not X.
		assert.deepEqual(arg("find all .c files under /home/jul/here excluding /home/jul/here/exclude/* paths", "exclude"), ["exclude/**"]);
		// A path that is not below the place searched cannot be left out of it.
		assert.equal(findRequest("find all .c files in /src excluding /usr/include"), null);
		assert.equal(findRequest("find all .c files in the current directory excluding /usr/include"), null);
	});

	it("reads 'non-empty files' as files of at least one byte, and not folders", () => {
		assert.deepEqual(findRequest("List all non-empty files under under current directory"), { op: "find_files", path: ".", min_bytes: 1 });
		assert.deepEqual(findRequest("find the nonempty regular files in /var/tmp"), { op: "find_files", path: "/var/tmp", min_bytes: 1 });
		assert.equal(findRequest("list all non-empty directories under /tmp"), null);
	});

	it("reads 'whose content was updated' as a write", () => {
		assert.deepEqual(findRequest("find files in the current directory and sub-directories, whose content was updated within the last hour"), {
			op: "find_files",
			path: ".",
			modified_within_days: 1 / 24,
		});
	});
	it("reads 'List the current directory recursively' as every entry below it (ls -R)", () => {
		assert.deepEqual(findRequest("List the current directory recursively"), { op: "find_files", path: ".", type: "any" });
		assert.deepEqual(findRequest('List the current directory recursively ignoring the "dir1" subdirectory'), {
			op: "find_files",
			path: ".",
			exclude: ["dir1"],
			type: "any",
		});
		// Not a count or a size of it.
		assert.equal(findRequest("List the current directory recursively and count the files"), null);
	});
});

describe("router/find: round 13 classes", () => {
	it("reads a file named with several dots as the file compared with (find -newer backup.tar.gz)", () => {
		assert.deepEqual(findRequest("Find all files/directories under current directory tree that are newer than backup.tar.gz by modification time"), {
			op: "find_files",
			path: ".",
			newer_than: "backup.tar.gz",
			type: "any",
		});
		assert.deepEqual(findRequest("find files older than release.2024.tar.gz"), { op: "find_files", path: ".", older_than: "release.2024.tar.gz" });
	});

	it("reads 'directly under X' as X's own entries (find -maxdepth 1), the bracket '(no-subdirectories)' restating it", () => {
		assert.deepEqual(
			findRequest("Find directories that are directly under $workspace_ts directory (no-subdirectories) and were modified less than 30 days ago"),
			{ op: "find_files", path: "$workspace_ts", max_depth: 1, type: "directory", modified_within_days: 30 },
		);
		assert.deepEqual(findRequest("Find files directly under /tmp"), { op: "find_files", path: "/tmp", max_depth: 1 });
		// Still an act when one is asked.
		assert.equal(findRequest("delete files directly under /tmp"), null);
	});

	it("reads a subfolder left out as that one folder at the top of the place searched (find -path ./dir1 -prune)", () => {
		assert.deepEqual(findRequest("search for MP3 files in the current folder and subfolders except in dir1 subfolder."), {
			op: "find_files",
			path: ".",
			exclude: ["dir1{,/**}"],
			name: "*.mp3",
		});
		assert.deepEqual(
			findRequest(
				'display all the files in the current folder excluding those that are present in the sub directory aa and display those files that start with the word "file"',
			),
			{ op: "find_files", path: ".", exclude: ["aa{,/**}"], name: "file*" },
		);
		assert.deepEqual(findRequest("find all .c files except the src subdirectory"), { op: "find_files", path: ".", exclude: ["src{,/**}"], name: "*.c" });
	});

	it("reads files 'with lines that match' a pattern as a content search, a regex when one is said", () => {
		assert.deepEqual(findRequest('Search the current directory recursively for *.txt files with lines that match regular expression "^string"'), {
			op: "grep",
			pattern: "^string",
			path: ".",
			glob: "**/*.txt",
			regex: true,
		});
		assert.deepEqual(findRequest('find all *.c files with lines containing "main"'), { op: "grep", pattern: "main", path: ".", glob: "**/*.c" });
		assert.deepEqual(findRequest('find all *.c files containing the regular expression "^main"'), {
			op: "grep",
			pattern: "^main",
			path: ".",
			glob: "**/*.c",
			regex: true,
		});
		// A count of them is more than the search.
		assert.equal(findRequest('count the *.c files with lines containing "main"'), null);
	});

	it("reads a braced shell variable '${S}' as the variable '$S' when no word character follows", () => {
		assert.deepEqual(findRequest("Find all regular files under ${S} directory"), { op: "find_files", path: "$S" });
		assert.deepEqual(findRequest("Find all files under ${S}/sub"), { op: "find_files", path: "$S/sub" });
		assert.equal(findRequest("Find all files under ${S}x"), null);
	});
});

describe("router/find: round 15 classes", () => {
	it("keeps the folder kind when the object is 'the directory' with a name condition or a bare name after it", () => {
		assert.deepEqual(findRequest('search for the directory starting with "ora10" in the entire file system'), {
			op: "find_files",
			path: "/",
			name: "ora10*",
			type: "directory",
		});
		assert.deepEqual(findRequest("find directory names starts with 'bar'"), { op: "find_files", path: ".", name: "bar*", type: "directory" });
		assert.deepEqual(findRequest("search for the directory testdir in the folder /home"), {
			op: "find_files",
			path: "/home",
			name: "testdir",
			type: "directory",
		});
		assert.deepEqual(findRequest('look for the folder ending with "_old" under /var'), {
			op: "find_files",
			path: "/var",
			name: "*_old",
			type: "directory",
		});
		assert.equal(findRequest('search for the directory starting with "ora10" and delete it'), null);
	});

	it("reads someone's home or user folder as that user's home (~user), never the current folder", () => {
		assert.deepEqual(findRequest("Return all of the .conf files in Pat's user folder and subdirectories"), {
			op: "find_files",
			path: "~Pat",
			name: "*.conf",
		});
		assert.deepEqual(findRequest("Search user1's home directory tree for *.bin files"), { op: "find_files", path: "~user1", name: "*.bin" });
		assert.deepEqual(findRequest('Search for "LOG" in jsmith\'s home directory tree'), { op: "grep", pattern: "LOG", path: "~jsmith" });
		// The generic "the user's home directory" stays the current user's.
		assert.equal(findRequest("find all .log files in the user's home directory")?.path, "~");
		assert.equal(findRequest("Search user1's home directory tree for *.bin files and delete them"), null);
	});

	it("reads a string 'in their full names / paths / pathnames' as a path condition (find -path, -wholename)", () => {
		assert.deepEqual(findRequest('Search directory foo for files containing "foo/bar" in their full names'), {
			op: "find_files",
			path: "foo",
			path_regex: ".*foo/bar.*",
		});
		assert.deepEqual(findRequest("List all files/directories under current directory with 'FooBar' in their paths ensuring white space safety"), {
			op: "find_files",
			path: ".",
			path_regex: ".*FooBar.*",
			type: "any",
		});
		assert.deepEqual(findRequest('Search the /Path directory tree for files matching pattern "file_name*" and containing "bar" in their pathnames'), {
			op: "find_files",
			path: "/Path",
			path_regex: ".*bar.*",
			name: "file_name*",
		});
		// In their names it stays a name condition; with no "in their ..." it is the text.
		assert.deepEqual(findRequest('find files containing "bar" in their names'), { op: "find_files", path: ".", name: "*bar*" });
		assert.deepEqual(findRequest('find files containing "bar"'), { op: "grep", pattern: "bar", path: "." });
	});

	it("reads a quoted file name after 'look for', 'find' or 'locate' and before a place as the name to find", () => {
		assert.deepEqual(findRequest('Look for "testfile.txt" in the "/" directory and 1 level below'), {
			op: "find_files",
			path: "/",
			max_depth: 2,
			name: "testfile.txt",
		});
		assert.deepEqual(findRequest('Locate "x.conf" under /etc'), { op: "find_files", path: "/etc", name: "x.conf" });
		// With files said, the string is text inside them.
		assert.deepEqual(findRequest('find "foo.txt" in all files under /home'), { op: "grep", pattern: "foo.txt", path: "/home" });
	});

	it("reads ls-style leave-outs 'but names like *.c and *.h' as exclusions of a folder's listing", () => {
		assert.deepEqual(findRequest("Lists all content in a current folder but names like *.c and *.h."), {
			op: "find_files",
			path: ".",
			exclude: ["*.c", "*.h"],
			max_depth: 1,
			type: "any",
		});
		// A bare word is no pattern: refused.
		assert.equal(findRequest("list all content in /tmp but names like foo"), null);
	});

	it("reads the kept kind of a folder's long listing ('Filters only directories from long file listing of ...')", () => {
		assert.deepEqual(findRequest("Filters only directories from long file listing of a current directory, and prints their names."), {
			op: "find_files",
			path: ".",
			max_depth: 1,
			type: "directory",
		});
		assert.equal(findRequest("Filters only directories from long file listing of a current directory, and deletes them."), null);
	});

	it("reads find's own listing options and 'detailed information' as a long listing, the order of folders as the walk's", () => {
		assert.deepEqual(
			findRequest("Find all regular files in the current directory tree last modified between 1 and 3 days ago and list them using find's -ls option"),
			{ op: "find_files", path: ".", modified_before_days: 1, modified_within_days: 3 },
		);
		assert.deepEqual(
			findRequest(
				"Find all regular files with the group read permission set in your home directory and below and output detailed information about each file.",
			),
			{ op: "find_files", path: "~", permissions_all: "040" },
		);
		// "of the directories" says how the walk is ordered, not that folders are listed.
		assert.deepEqual(
			findRequest("display all regular files in current folder which are atleast 1 level deep and search in the alphabetical order of the directories"),
			{ op: "find_files", path: ".", min_depth: 1 },
		);
		assert.equal(
			findRequest("Find all regular files last modified between 1 and 3 days ago and list them using find's -ls option and sort them by size"),
			null,
		);
	});

	it("reads permissions said with who before what ('the group read permission set') and 'by group or others'", () => {
		assert.deepEqual(findRequest("find files with the others write permission set in /tmp"), { op: "find_files", path: "/tmp", permissions_all: "002" });
		assert.deepEqual(findRequest("Find all files/directories with execute permission by group or others"), {
			op: "find_files",
			path: ".",
			permissions_any: "011",
			type: "any",
		});
		assert.equal(findRequest("Find all files/directories with execute permission by group or others and remove the permission"), null);
	});

	it("reads grep's matched strings with their numbers and file names as search_text's lines", () => {
		assert.deepEqual(
			findRequest("Finds recursively all files in '/path/' that contain 'pattern', and prints matched strings with string number and file name."),
			{
				op: "grep",
				pattern: "pattern",
				path: "/path",
			},
		);
		assert.equal(findRequest("Finds recursively all files in '/path/' that contain 'pattern', and prints the count of matched strings"), null);
	});

	it("reads ends said with 'the word', a misheard 'assessed', web extensions, places given as variables or listed with spaces", () => {
		assert.deepEqual(findRequest("find all the files in the current folder that end with the word bar"), { op: "find_files", path: ".", name: "*bar" });
		assert.deepEqual(findRequest("Find all files in the current directory and its sub-directories that have not been assessed in more than 30 days."), {
			op: "find_files",
			path: ".",
			accessed_before_days: 30,
		});
		assert.deepEqual(findRequest("find all html or cgi files in current folder"), { op: "find_files", path: ".", name: "*.{html,cgi}" });
		assert.deepEqual(findRequest("Search the path given as the $absolute_dir_path variable for regular files"), {
			op: "find_files",
			path: "$absolute_dir_path",
		});
		assert.deepEqual(findRequest("search for text files in the folders /home/hobbes/ /home/calvin/ and discard all the errors"), {
			op: "find_files",
			path: "/home/hobbes",
			paths: ["/home/calvin"],
			name: "*.txt",
		});
		assert.deepEqual(findRequest("Print the size for every *.ogg file found under the home directory"), { op: "find_files", path: "~", name: "*.ogg" });
		assert.deepEqual(
			findRequest('search for the regular/normal file "myfile" in the current folder excluding search in the paths of "work" and "home" sub directories'),
			{ op: "find_files", path: ".", exclude: ["work{,/**}", "home{,/**}"], name: "myfile" },
		);
		assert.equal(findRequest("find all html or cgi files in current folder and compress them"), null);
	});
});

describe("router/find: round 16 classes (from blind17's first-run misses; in-sample for blind17 since)", () => {
	it("never reads 'system' inside a path as the file system", () => {
		assert.deepEqual(findRequest("Find all files named foo under /system/a directory"), { op: "find_files", path: "/system/a", name: "foo" });
		assert.deepEqual(findRequest("Find all files/directories named orm.properties under  /eserver6/share/system/config/cluster directory"), {
			op: "find_files",
			path: "/eserver6/share/system/config/cluster",
			name: "orm.properties",
			type: "any",
		});
		assert.equal(findRequest("find all .log files in the entire file system")?.path, "/");
	});

	it("reads a size said before the noun ('50MB files') as that size (find -size 50M)", () => {
		assert.deepEqual(findRequest("Find all 50MB files"), { op: "find_files", path: ".", min_bytes: 49 * 1024 * 1024 + 1, max_bytes: 50 * 1024 * 1024 });
		assert.equal(findRequest("Find all 50MB files and delete them"), null);
	});

	it("reads the search said as a noun, 'find out all', 'the current one' and a folder's possessive subfolders", () => {
		assert.deepEqual(findRequest("Perform a case insensitive search for *.jpg files which are greater than 500KB in size under /ftp/dir/ directory"), {
			op: "find_files",
			path: "/ftp/dir",
			ignore_case: true,
			name: "*.jpg",
			min_bytes: 500 * 1024,
		});
		assert.deepEqual(findRequest("Find out all hard links in the /home directory to file1"), { op: "find_files", path: "/home", same_file: "file1" });
		assert.equal(findRequest("Find out why the build is slow"), null);
		assert.deepEqual(findRequest('Find all directories in the current one recursively which have the write bit set for "other"'), {
			op: "find_files",
			path: ".",
			permissions_all: "002",
			type: "directory",
		});
		assert.deepEqual(findRequest("Print the list of the current directory's subdirectories"), { op: "find_files", path: ".", type: "directory" });
	});

	it("reads a bare name after 'regular file' and 'Permission Denied' messages kept out", () => {
		assert.deepEqual(findRequest("Search for regular file foo ignoring case"), { op: "find_files", path: ".", ignore_case: true, name: "foo" });
		assert.deepEqual(findRequest('Find a file "foo.bar" without showing "Permission Denied" messages'), { op: "find_files", path: ".", name: "foo.bar" });
		assert.equal(findRequest('Find a file "foo.bar" without showing "Permission Denied" messages and edit it'), null);
	});
});

describe("router/find: round 17 classes (from blind18's first-run misses and the open classes of round 16; in-sample for blind18 since)", () => {
	it("reads a subfolder tree left out, 'omit' as a leave-out verb, and a dotted folder with its kind said after", () => {
		assert.deepEqual(findRequest('Search the current directory, except the subdirectory tree ".git", for files named "a.c"'), {
			op: "find_files",
			path: ".",
			exclude: [".git{,/**}"],
			name: "a.c",
		});
		assert.deepEqual(findRequest("find case-insensitive notes.md file, omit ./build path"), {
			op: "find_files",
			path: ".",
			ignore_case: true,
			exclude: ["build{,/**}"],
			name: "notes.md",
		});
		assert.deepEqual(findRequest("find all *.log files omitting the ./tmp directory"), {
			op: "find_files",
			path: ".",
			exclude: ["tmp{,/**}"],
			name: "*.log",
		});
		assert.equal(findRequest("find all *.log files, omit ./tmp and delete the rest"), null);
	});

	it("reads 'case-insentive' and other slips of 'insensitive' as case-insensitive", () => {
		assert.deepEqual(findRequest("find case-insenstive readme.txt file"), { op: "find_files", path: ".", ignore_case: true, name: "readme.txt" });
		assert.deepEqual(findRequest("search for *.JPG files case insentive"), { op: "find_files", path: ".", ignore_case: true, name: "*.JPG" });
	});

	it("reads the root file system with its path in brackets, 'through' a place, and 'anywhere on the system'", () => {
		assert.deepEqual(findRequest('searches through the root filesystem ("/") for the file named core.'), { op: "find_files", path: "/", name: "core" });
		assert.deepEqual(findRequest("search through /var/log for files named syslog"), { op: "find_files", path: "/var/log", name: "syslog" });
		assert.deepEqual(findRequest("Find all the files named 'bashrc' anywhere on the system"), { op: "find_files", path: "/", name: "bashrc" });
		assert.deepEqual(findRequest("Find files named 'bashrc' anywhere in the file system"), { op: "find_files", path: "/", name: "bashrc" });
		assert.equal(findRequest("search through /var/log for files named syslog and remove them"), null);
	});

	it("reads a list of entry kinds ending in 'etc' as every kind (find with no -type)", () => {
		assert.deepEqual(findRequest('Find all files, folders, symlinks, etc matching pattern "*.rb" under /srv'), {
			op: "find_files",
			path: "/srv",
			name: "*.rb",
			type: "any",
		});
		assert.deepEqual(findRequest("list files, directories, sockets and so on named core in /tmp"), {
			op: "find_files",
			path: "/tmp",
			name: "core",
			type: "any",
		});
		assert.equal(findRequest('Find all files, folders, symlinks, etc matching "*.rb" and archive them'), null);
	});

	it("reads 'has the words X in its name' as a name containing X", () => {
		assert.deepEqual(findRequest('search for the file in the entire file system which has the words "backup" in its name'), {
			op: "find_files",
			path: "/",
			name: "*backup*",
		});
		assert.deepEqual(findRequest("find files which have the string 'v2' in their names"), { op: "find_files", path: ".", name: "*v2*" });
	});

	it("reads 'with their paths and sizes' as what the listing shows; a condition after 'their names' is not presentation", () => {
		assert.deepEqual(findRequest("List all files under /opt with their paths and sizes"), { op: "find_files", path: "/opt" });
		assert.deepEqual(findRequest("list the *.iso files with their names, paths and sizes"), { op: "find_files", path: ".", name: "*.iso" });
		assert.equal(findRequest("List files with their names and sizes sorted by size"), null);
		assert.equal(findRequest("Find files with their names containing foo"), null);
	});

	it("reads 'not modified since last N days' as longer ago than N days, and 'since the last' as within", () => {
		assert.deepEqual(findRequest("find all files in /data which have not been modified since last 30 days"), {
			op: "find_files",
			path: "/data",
			modified_before_days: 30,
		});
		assert.deepEqual(findRequest("find files in /data modified since the last 2 days"), { op: "find_files", path: "/data", modified_within_days: 2 });
	});

	it("reads grep -l said as 'prints names of files with matched strings' as the files holding the text", () => {
		assert.deepEqual(
			findRequest('Finds strings with text "TODO" recursively in all files of current folder and prints names of files with matched strings.'),
			{
				op: "find_files",
				path: ".",
				contains: "TODO",
			},
		);
		assert.deepEqual(findRequest('search for "FIXME" in all files under /src and display the names of the files containing matching lines'), {
			op: "find_files",
			path: "/src",
			contains: "FIXME",
		});
		assert.equal(findRequest("search for the regex 'a.*b' in all files under /src and print names of files with matching lines"), null);
		assert.equal(findRequest('search for "FIXME" in all files under /src, print names of files with matched strings and count them'), null);
	});

	it("reads 'the X files found in' as the files of the search, whatever follows the place", () => {
		assert.deepEqual(findRequest('Search the Python files found in the /app directory tree for string "flask"'), {
			op: "grep",
			pattern: "flask",
			path: "/app",
			glob: "**/*.py",
		});
	});

	it("reads 'a more recent version of F than G' as files named F newer than G (find -name F -newer G)", () => {
		assert.deepEqual(findRequest("Find a more recent version of nginx.conf file than /etc/nginx/nginx.conf in entire file system"), {
			op: "find_files",
			path: "/",
			newer_than: "/etc/nginx/nginx.conf",
			name: "nginx.conf",
		});
		assert.deepEqual(findRequest("find newer copies of 'report.pdf' than ~/report.pdf under /home"), {
			op: "find_files",
			path: "/home",
			newer_than: "~/report.pdf",
			name: "report.pdf",
		});
		assert.equal(findRequest("Find a more recent version of nginx.conf than /etc/nginx/nginx.conf and copy it over"), null);
	});

	it("reads 'the current directory and all its subdirectories' as the object: the folders (find . -type d)", () => {
		assert.deepEqual(findRequest("List the current folder and all its subfolders"), { op: "find_files", path: ".", type: "directory" });
		assert.deepEqual(findRequest("Find all *.c files in the current directory and all its subdirectories"), { op: "find_files", path: ".", name: "*.c" });
	});

	it("reads 'N 512 byte blocks' as find's block unit (find -size N)", () => {
		assert.deepEqual(findRequest("Search /var for files that are 8 512-byte blocks in size"), {
			op: "find_files",
			path: "/var",
			min_bytes: 7 * 512 + 1,
			max_bytes: 8 * 512,
		});
	});

	it("reads positional parameters (${1}, $2) as the variables they are", () => {
		assert.deepEqual(findRequest("Find files matching pattern $2 in the ${1} directory"), { op: "find_files", path: "$1", name: "$2" });
	});

	it("reads a user the files must not belong to (find ! -user X); 'any user' stays -nouser, a group or an act is refused", () => {
		assert.deepEqual(
			findRequest('display all the files in the file system which do not belong to the user "bob" and which are modified before the file "stamp"'),
			{
				op: "find_files",
				path: "/",
				older_than: "stamp",
				not_owner: "bob",
			},
		);
		assert.deepEqual(findRequest("find files not owned by root in /srv"), { op: "find_files", path: "/srv", not_owner: "root" });
		assert.deepEqual(findRequest("find all files which do not belong to any user"), { op: "find_files", path: ".", unowned: "user" });
		assert.equal(findRequest("find files that are not owned by the group staff"), null);
		assert.equal(findRequest("find all files not owned by user bob and chown them to bob"), null);
	});
});

describe("router/find: round 18 classes (from blind19's first-run misses; in-sample for blind19 since)", () => {
	it("reads 'and their targets' of links as what find_files prints of each link, and of links only", () => {
		assert.deepEqual(findRequest("Show all symbolic links and their targets under /usr/lib"), { op: "find_files", path: "/usr/lib", type: "symlink" });
		assert.equal(findRequest("Display all files and their targets in /etc"), null);
		assert.equal(findRequest("Show all symbolic links and their targets under /usr/lib and fix the broken ones"), null);
	});

	it("reads 'separating them with zeroes' and 'the sizes and file names of' as presentation", () => {
		assert.deepEqual(findRequest("List all *.log files under /var separating them with null characters"), {
			op: "find_files",
			path: "/var",
			name: "*.log",
		});
		assert.deepEqual(findRequest("Print the sizes and file names of all files under /srv that are bigger than 1M"), {
			op: "find_files",
			path: "/srv",
			min_bytes: 1024 * 1024,
		});
	});

	it("reads grep's object said as 'lines containing string X' and 'look for the string X inside those files'", () => {
		assert.deepEqual(findRequest('Search the files under /etc for lines containing string "PermitRootLogin"'), {
			op: "grep",
			pattern: "PermitRootLogin",
			path: "/etc",
		});
		assert.deepEqual(findRequest("Search for files that end with .rb and look for the string $needle inside those files"), {
			op: "grep",
			pattern: "$needle",
			path: ".",
			glob: "**/*.rb",
		});
		assert.equal(findRequest('Search the files under /etc for lines containing string "x" and count them'), null);
	});

	it("reads folder names listed bare at the end after a leave-out verb as exclusions", () => {
		assert.deepEqual(findRequest("search for *.c files in /src exclude build AND vendor"), {
			op: "find_files",
			path: "/src",
			exclude: ["build", "vendor"],
			name: "*.c",
		});
		assert.equal(findRequest("search for *.c files in /src exclude them and count"), null);
	});
});

describe("router/find: round 19 classes (from blind20's first-run misses and round 18's open classes; in-sample for blind20 since)", () => {
	it("refuses what one find_files call cannot say: each file's folder, a link's target, a bare 'etc'", () => {
		assert.equal(findRequest("List the directory paths of all *.ext (case insensitive) files under /path directory"), null);
		assert.equal(findRequest('search for the file "app.log" and display its parent directory'), null);
		assert.equal(findRequest("find the parent directories of all *.py files under /src"), null);
		// A link's target: answered since round 48 (find_files' link_target, find -lname), see "Round 48".
		assert.deepEqual(findRequest('Find symbolic links in /usr/bin to files whose pathnames end in "*/python3"'), {
			op: "find_files",
			path: "/usr/bin",
			type: "symlink",
			link_target: "*/python3",
		});
		assert.equal(findRequest("find all files in etc which have been modified in the last 2 days"), null);
		// The same phrases without those asks still route.
		assert.deepEqual(findRequest("List all *.ext files under /path directory"), { op: "find_files", path: "/path", name: "*.ext" });
		assert.deepEqual(findRequest("find all symbolic links under /usr/bin"), { op: "find_files", path: "/usr/bin", type: "symlink" });
		assert.deepEqual(findRequest("find all files in /etc which have been modified in the last 2 days"), {
			op: "find_files",
			path: "/etc",
			modified_within_days: 2,
		});
	});

	it("reads 'some directory' as a placeholder for the place, not a folder named some", () => {
		assert.deepEqual(findRequest("search for all json files in some directory"), { op: "find_files", path: ".", name: "*.json" });
	});

	it("reads 'and prints the location' as the path find_files prints anyway", () => {
		assert.deepEqual(findRequest("search the root filesystem for the file named notes.md, and prints the location"), {
			op: "find_files",
			path: "/",
			name: "notes.md",
		});
		assert.equal(findRequest("search the root filesystem for the file named notes.md, and prints the location of its folder"), null);
	});

	it("reads 'skip searching in X and Y folders' as folders left out", () => {
		assert.deepEqual(findRequest("display all the log files from the current folder and skip searching in cache1 and cache2 folders"), {
			op: "find_files",
			path: ".",
			exclude: ["cache1", "cache2"],
			name: "*.log",
		});
		assert.equal(findRequest("display all the log files from the current folder and skip searching in certain folders"), null);
	});

	it("drops 'either' before alternatives it only announces", () => {
		assert.deepEqual(findRequest("find files named either a.txt or b.txt under /srv"), { op: "find_files", path: "/srv", name: "{a.txt,b.txt}" });
		assert.equal(findRequest("find files named either a.txt or b.txt under /srv and delete them"), null);
	});

	it("reads what can be done to a file by no one or by anybody as permission bits", () => {
		assert.deepEqual(findRequest("Search /srv for regular files that can be written by noone"), {
			op: "find_files",
			path: "/srv",
			permissions_none: "222",
		});
		assert.deepEqual(findRequest("find files in /tmp that can be read by anybody"), { op: "find_files", path: "/tmp", permissions_any: "444" });
		assert.equal(findRequest("find files in /tmp that can be read by noone and make them readable"), null);
	});

	it("reads a mode in ls's letters for every class as the exact mode, and nothing when a class is left unsaid", () => {
		assert.deepEqual(findRequest("List files under /srv which have permissions rw for user and r for group and others"), {
			op: "find_files",
			path: "/srv",
			permissions: "644",
		});
		assert.deepEqual(findRequest("find files with permissions r-x for user, r-- for group and --- for others"), {
			op: "find_files",
			path: ".",
			permissions: "540",
		});
		assert.equal(findRequest("List files under /srv which have permissions rw for user and r for group"), null);
	});

	it("bounds the access time by a calendar day as it does the modification time", () => {
		assert.deepEqual(findRequest("Find all files accessed on the 3rd of March, 2021, starting from /var"), {
			op: "find_files",
			path: "/var",
			accessed_from_date: "2021-03-03",
			accessed_before_date: "2021-03-04",
		});
		assert.deepEqual(findRequest("find all files under /var modified on the 3rd of March, 2021"), {
			op: "find_files",
			path: "/var",
			modified_from_date: "2021-03-03",
			modified_before_date: "2021-03-04",
		});
	});

	it("reads 'print each .ext file' as the text of those files, and 'print each file' still as their names", () => {
		assert.deepEqual(findRequest('Print each ".md" file in the current directory'), { op: "read_files", path: ".", glob: "**/*.md" });
		assert.deepEqual(findRequest("Print each file in /tmp"), { op: "find_files", path: "/tmp" });
		assert.equal(findRequest("print each .log file in /var/log and count the lines"), null);
	});

	it("reads a detailed listing of a folder as that folder's own entries (ls -l)", () => {
		assert.deepEqual(findRequest("Display a detailed listing of the current directory, pausing for user input after each page."), {
			op: "find_files",
			path: ".",
			max_depth: 1,
			type: "any",
		});
		assert.deepEqual(findRequest("Show a long listing of /var/log/"), { op: "find_files", path: "/var/log", max_depth: 1, type: "any" });
		assert.equal(findRequest("Display a long listing of the current directory sorted by size"), null);
	});
});

describe("router/find: round 20 classes (from blind21's first-run misses; in-sample for blind21 since)", () => {
	it("reads 'found' after folders as presentation, also before 'and below'", () => {
		assert.deepEqual(findRequest("List all directories found in /srv and below."), { op: "find_files", path: "/srv", type: "directory" });
	});

	it("reads 'Print pathnames of all files' as the listing find_files prints", () => {
		assert.deepEqual(findRequest("Print pathnames of all files in /srv skipping files under CVS directories"), {
			op: "find_files",
			path: "/srv",
			exclude: ["CVS"],
		});
		assert.equal(findRequest("Print pathnames of all files in /tmp and count them"), null);
	});

	it("reads 'do not have X (anywhere) in the file name' as a name not containing X (find ! -name '*X*')", () => {
		assert.deepEqual(findRequest('Find files in /photos that are greater than 200k in size but do not have "2019" anywhere in the file name'), {
			op: "find_files",
			path: "/photos",
			name_regex: "(?!(?:.*2019.*)$).*",
			min_bytes: 200 * 1024,
		});
		assert.equal(findRequest('find files in /srv which do not have "tmp" in their contents'), null);
		assert.equal(findRequest('find files in /srv that do not have "tmp" in their names and delete them'), null);
	});

	it("reads 'N days ago from today' as 'N days ago'", () => {
		assert.deepEqual(findRequest("Show files in maximum 1 level down the /var directory that were modified less than 2 days ago from today"), {
			op: "find_files",
			path: "/var",
			max_depth: 1,
			modified_within_days: 2,
		});
	});

	it("reads 'Concatenate all .ext files' and 'cat every .ext file' as those files' text, never a write to a file", () => {
		assert.deepEqual(findRequest("Concatenate all .md files residing in the docs/ directory tree"), { op: "read_files", path: "docs", glob: "**/*.md" });
		assert.deepEqual(findRequest("cat every .log file in /var/log"), { op: "read_files", path: "/var/log", glob: "**/*.log" });
		assert.equal(findRequest("Concatenate all .md files residing in the current directory tree into all.md"), null);
		assert.equal(findRequest("concatenate all files in /tmp"), null);
	});
});

describe("router/find: round 21 classes (from blind22's first-run misses; in-sample for blind22 since)", () => {
	it("reads a negation written as a contraction as the words, outside quoted strings", () => {
		assert.deepEqual(findRequest("Find all files in /srv that aren't owned by user deploy"), { op: "find_files", path: "/srv", not_owner: "deploy" });
		assert.deepEqual(findRequest('Search for "isn\'t it" in all files under /src'), { op: "grep", pattern: "isn't it", path: "/src" });
		assert.equal(findRequest("Find all files in /srv that aren't owned by user deploy and delete them"), null);
	});

	it("reads a word typed twice as said once, outside quoted strings", () => {
		assert.deepEqual(findRequest("Find files in the /srv folder which were modified modified in the last 3 days"), {
			op: "find_files",
			path: "/srv",
			modified_within_days: 3,
		});
		assert.deepEqual(findRequest('search for "bye bye" in all files under /src'), { op: "grep", pattern: "bye bye", path: "/src" });
	});

	it("reads 'without printing Permission denied error messages' as errors kept off the screen", () => {
		assert.deepEqual(findRequest("Find all files named 'core' under /var without printing 'Permission denied' error messages"), {
			op: "find_files",
			path: "/var",
			name: "core",
		});
	});

	it("joins two size bounds said with 'but (are)'", () => {
		assert.deepEqual(findRequest("find all files in /data which are larger than 1MB but are smaller than 5MB"), {
			op: "find_files",
			path: "/data",
			min_bytes: 1024 ** 2,
			max_bytes: 5 * 1024 ** 2,
		});
		assert.equal(findRequest("find all files in /data which are larger than 1MB but are smaller than 5MB and remove them"), null);
	});

	it("reads 'level N subdirectories' as the entries at that depth only (find -mindepth N -maxdepth N)", () => {
		assert.deepEqual(findRequest("List level 3 subdirectories of /srv"), { op: "find_files", path: "/srv", type: "directory", min_depth: 3, max_depth: 3 });
	});

	it("reads ', and their sizes' closing a listing as presentation", () => {
		assert.deepEqual(findRequest('List all files in the /srv directory tree whose names are "core", and their sizes'), {
			op: "find_files",
			path: "/srv",
			name: "core",
		});
		assert.equal(findRequest('List all files in the /srv directory tree whose names are "core", and their sizes summed'), null);
	});

	it("reads 'strings having/with text X' in files as grep's matching lines", () => {
		assert.deepEqual(findRequest('Find strings having text "needle" in all files recursively in the /src folder'), {
			op: "grep",
			pattern: "needle",
			path: "/src",
		});
		assert.deepEqual(findRequest("Recursively finds all files in /src and prints all strings with 'needle' from those files"), {
			op: "grep",
			pattern: "needle",
			path: "/src",
		});
		assert.equal(findRequest('Find strings having text "needle" in all files in /src and count them'), null);
		assert.equal(findRequest("Recursively finds all files in /src and prints all strings with 'needle' from those files and delete them"), null);
	});

	it("reads each class given its permission words as the exact mode (find -perm 644), never after a negation", () => {
		assert.deepEqual(findRequest("Find all files under /srv which have read-write permission for owner and only read permission for group and others"), {
			op: "find_files",
			path: "/srv",
			permissions: "644",
		});
		assert.deepEqual(findRequest("Find all files under /srv which have read and write permission for owner and read permission for group and others"), {
			op: "find_files",
			path: "/srv",
			permissions: "644",
		});
		// A class left unsaid could be anything; a negation is not the mode.
		assert.equal(findRequest("Find all files under /srv which have read-write permission for owner and read permission for group"), null);
		assert.equal(findRequest("Find all files under /srv which don't have read permission for owner and read permission for group and others"), null);
	});

	it("reads links judged by their contents as their targets (find -lname; refused until round 48's link_target)", () => {
		assert.deepEqual(findRequest('Search the current directory tree for symlinks whose contents match pattern "*sysdep.c"'), {
			op: "find_files",
			path: ".",
			type: "symlink",
			link_target: "*sysdep.c",
		});
		assert.deepEqual(findRequest("find all symbolic links under /usr/bin"), { op: "find_files", path: "/usr/bin", type: "symlink" });
	});
});

describe("router/find: round 22 classes (from blind24's first-run misses; in-sample for blind24 since)", () => {
	it("reads a size bound said after the size ('50 megabytes or larger', '10k or smaller')", () => {
		assert.deepEqual(findRequest('List files named "core" under /var that are 50 megabytes or larger'), {
			op: "find_files",
			path: "/var",
			name: "core",
			min_bytes: 50 * 1024 ** 2,
		});
		assert.deepEqual(findRequest("Find files in /tmp that are 10k or smaller"), { op: "find_files", path: "/tmp", max_bytes: 10 * 1024 });
		// An act or a count after it is more than a listing.
		assert.equal(findRequest("Find files in /tmp that are 5MB or more and delete them"), null);
		assert.equal(findRequest("Count the files in /tmp that are 5MB or larger"), null);
	});

	it("reads 'between N to M days ago' as 'between N and M days ago'", () => {
		assert.deepEqual(findRequest("find all the files in /srv which have been modified between 3 to 9 days ago"), {
			op: "find_files",
			path: "/srv",
			modified_before_days: 3,
			modified_within_days: 9,
		});
		assert.equal(findRequest("find all the files in /srv which have been modified between 3 to 9 days ago and move them to /old"), null);
	});

	it("reads 'beginning with the root directory' as where the search starts, not a name", () => {
		assert.deepEqual(findRequest("Find all files with the SGID bit set beginning with the root directory"), {
			op: "find_files",
			path: "/",
			permissions_any: "2000",
		});
		assert.equal(findRequest("find files starting with the root folder name"), null);
		assert.equal(findRequest("Find all files with the SGID bit set beginning with the root directory and remove the bit"), null);
	});

	it("leaves out names said as 'those that have the name X'", () => {
		assert.deepEqual(findRequest('list all the directories under /src excluding those that have the name "vendor"'), {
			op: "find_files",
			path: "/src",
			exclude: ["vendor"],
			type: "directory",
		});
		assert.equal(findRequest('list all the directories under /src excluding those that have the name "vendor" and delete them'), null);
	});

	it("reads 'except .ext, ignoring X directories' as two exclusions (a bare known extension is its files)", () => {
		assert.deepEqual(findRequest("Find all files under /web except .php, ignoring .git directories"), {
			op: "find_files",
			path: "/web",
			exclude: ["*.php", ".git"],
		});
		// A place word makes it a folder; an unknown dotted word stays a name.
		assert.deepEqual(findRequest("Find all files under /web except .log folder"), { op: "find_files", path: "/web", exclude: [".log"] });
		assert.deepEqual(findRequest("Find all files under /web except .cache"), { op: "find_files", path: "/web", exclude: [".cache"] });
	});
});

describe("router/find: round 23 classes (from blind26's first-run misses; in-sample for blind26 since)", () => {
	it("reads a glob with a two-part extension whole ('*.tar.gz files', '*.min.js files')", () => {
		assert.deepEqual(findRequest("Find all *.tar.gz files under /backup"), { op: "find_files", path: "/backup", name: "*.tar.gz" });
		assert.deepEqual(findRequest("Find all *.min.js files under current directory"), { op: "find_files", path: ".", name: "*.min.js" });
		// A dotted name before "files" with no glob is still files of that name.
		assert.deepEqual(findRequest("find all the notes.txt files"), { op: "find_files", path: ".", name: "notes.txt" });
		assert.equal(findRequest("Find all *.tar.gz files under /backup and extract them"), null);
	});

	it("reads 'not executable' with no one named as nobody having the bit, and 'the executable bit for owner or group'", () => {
		assert.deepEqual(findRequest("Find files under /opt/app that are not executable"), {
			op: "find_files",
			path: "/opt/app",
			permissions_none: "111",
		});
		assert.deepEqual(findRequest("find non-writable files in /srv"), { op: "find_files", path: "/srv", permissions_none: "222" });
		// Someone named keeps the earlier reading (not executable by all: one of them lacks it).
		assert.deepEqual(findRequest("find files in /srv that are not executable by all"), {
			op: "find_files",
			path: "/srv",
			permissions_lacking: "111",
		});
		// "not read" is not a permission word.
		assert.equal(findRequest("find all files in /srv which are not read"), null);
		assert.deepEqual(findRequest("Find files in /srv that match the write bit for group or others"), {
			op: "find_files",
			path: "/srv",
			permissions_any: "022",
		});
		assert.equal(findRequest("Find files under /opt/app that are not executable and make them executable"), null);
	});

	it("reads 'modified since F was last modified' and 'newer than A but not newer than B' as file time bounds", () => {
		assert.deepEqual(findRequest("list any files in /etc modified since /etc/passwd was last modified"), {
			op: "find_files",
			path: "/etc",
			newer_than: "/etc/passwd",
		});
		// A date is not a file: left to the LLM.
		assert.equal(findRequest("list files in /etc modified since Monday"), null);
		assert.deepEqual(findRequest("Find files in /data newer than a.stamp but not newer than b.stamp"), {
			op: "find_files",
			path: "/data",
			newer_than: "a.stamp",
			older_than: "b.stamp",
		});
		assert.equal(findRequest("Find files in /data newer than a.stamp but not newer than b.stamp and copy them to /old"), null);
	});

	it("reads 'names contain the string X' and 'which exist within P'", () => {
		assert.deepEqual(findRequest("Find all files whose names contain the string 'kernel' which exist within '/boot'"), {
			op: "find_files",
			path: "/boot",
			name: "*kernel*",
		});
		// Contents, not names: still a text search.
		assert.deepEqual(findRequest("Find all files that contain the string 'kernel' in /boot"), { op: "grep", pattern: "kernel", path: "/boot" });
		assert.equal(findRequest("Count the files whose names contain the string 'kernel' which exist within '/boot'"), null);
	});

	it("reads 'not owned by any user or group' (either) and 'owned by no user'", () => {
		assert.deepEqual(findRequest("find all files in /var not owned by any user or group"), { op: "find_files", path: "/var", unowned: "either" });
		assert.deepEqual(findRequest("find files in /var owned by no group"), { op: "find_files", path: "/var", unowned: "group" });
		// A name after the noun is an owner condition, not this one.
		assert.equal(findRequest("find files in /var not owned by any user or group staff"), null);
		assert.equal(findRequest("find all files in /var not owned by any user or group and chown them to root"), null);
	});

	it("reads 'with the names A and B' (each quoted) as either name: one file has one name", () => {
		assert.deepEqual(findRequest('display all the files with the names "a.log" and "b.log" in /tmp and do not search in the sub directories'), {
			op: "find_files",
			path: "/tmp",
			max_depth: 1,
			name: "{a.log,b.log}",
		});
		assert.equal(findRequest('find files with the names "a.log" and "b.log" and delete them'), null);
	});

	it("reads 'without regards to case' as ignoring the case (find -iname)", () => {
		assert.deepEqual(findRequest('Find all the files that are not named "notes.md" in the current directory only and without regards to case'), {
			op: "find_files",
			path: ".",
			ignore_case: true,
			name_regex: "(?!(?:notes\\.md)$).*",
			max_depth: 1,
		});
		assert.deepEqual(findRequest("find files ending with .log in /srv without regard to the case"), {
			op: "find_files",
			path: "/srv",
			ignore_case: true,
			name: "*.log",
		});
		assert.equal(findRequest("find files ending with .log in /srv without regard to case and delete them"), null);
	});

	it("reads 'modified in exactly N days back' as find -mtime N", () => {
		assert.deepEqual(findRequest("find all files in /srv which have been modified in exactly 3 days back"), {
			op: "find_files",
			path: "/srv",
			modified_before_days: 3,
			modified_within_days: 4,
		});
		assert.equal(findRequest("find all files in /srv which have been modified in exactly 3 days back and archive them"), null);
	});

	it("reads 'the folder a' ending its clause as the folder named a, and 'a folder' as any folder", () => {
		assert.deepEqual(findRequest("display all the files in the folder a"), { op: "find_files", path: "a" });
		assert.deepEqual(findRequest("display all the files in the folder a which were modified in the last 2 days"), {
			op: "find_files",
			path: "a",
			modified_within_days: 2,
		});
		assert.deepEqual(findRequest("display all the files in a folder"), { op: "find_files", path: "." });
		assert.deepEqual(findRequest("search in the directory a file named notes.txt"), { op: "find_files", path: ".", name: "notes.txt" });
		assert.equal(findRequest("remove all the files in the folder a"), null);
	});

	it("leaves 'skipping hidden files in the current directory' after a place already said to the LLM (one level or every depth?)", () => {
		assert.equal(findRequest("Search the current directory recursively for regular files, skipping hidden files in the current directory"), null);
		assert.equal(findRequest("List /srv recursively, excluding hidden files in /srv"), null);
		// Said once, the place is where to search, and hidden names are left out at every depth.
		assert.deepEqual(findRequest("find all files excluding hidden files in /srv"), { op: "find_files", path: "/srv", exclude: [".*"] });
		assert.deepEqual(findRequest("find files in /srv skipping hidden files"), { op: "find_files", path: "/srv", exclude: [".*"] });
	});

	it("reads an extension quoted after a leave-out word as that kind left out, never a file named so (blind29's 5002, after its first run)", () => {
		assert.deepEqual(findRequest('display all file in /srv except ".c" files'), { op: "find_files", path: "/srv", exclude: ["*.c"] });
		assert.deepEqual(findRequest('display all files in /srv excluding the ".c" files'), { op: "find_files", path: "/srv", exclude: ["*.c"] });
		assert.deepEqual(findRequest('display all the files in /srv excluding all the ".c" files'), { op: "find_files", path: "/srv", exclude: ["*.c"] });
		// A quoted folder stays that folder.
		assert.deepEqual(findRequest('find files in /srv except "build" folder'), { op: "find_files", path: "/srv", exclude: ["build"] });
		assert.equal(findRequest('display all files in /srv except ".c" files and delete them'), null);
	});

	describe("round 25 classes (from blind30's first run)", () => {
		it("reads 'modified later than F' as newer than that file (find -newer F)", () => {
			assert.deepEqual(findRequest("find all files under /srv that were modified later than /etc/stamp"), {
				op: "find_files",
				path: "/srv",
				newer_than: "/etc/stamp",
			});
			assert.deepEqual(findRequest("list files in /tmp changed later than notes.txt"), { op: "find_files", path: "/tmp", newer_than: "notes.txt" });
			// An act after it, or a count, is more than one call.
			assert.equal(findRequest("find files in /srv modified later than /etc/stamp and delete them"), null);
			assert.equal(findRequest("count the files in /srv modified later than /etc/stamp"), null);
		});

		it("reads 'any <kind> bits set' and 'at least one <kind> bit set' as one of the three bits (find -perm /111, /222)", () => {
			assert.deepEqual(findRequest("find regular files under /opt that have any executable bits set"), {
				op: "find_files",
				path: "/opt",
				permissions_any: "111",
			});
			assert.deepEqual(findRequest("find files in /srv with at least one write bit set"), { op: "find_files", path: "/srv", permissions_any: "222" });
			assert.equal(findRequest("find files in /srv with any read bits set and delete them"), null);
			// "the executable bit" says no whose: not taken as any of the three.
			assert.equal(findRequest("find files in /srv that have the executable bit set"), null);
		});

		it("drops 'use (the) find command to' before the search it introduces", () => {
			assert.deepEqual(findRequest("use find command to search for .gif and .svg files"), { op: "find_files", path: ".", name: "*.{gif,svg}" });
			assert.deepEqual(findRequest("use the find utility to find all .tmp files in /var"), { op: "find_files", path: "/var", name: "*.tmp" });
			assert.equal(findRequest("use the find command to delete .tmp files"), null);
		});
	});

	describe("round 26 classes (from blind32's first run and blind31's misses)", () => {
		it("reads 'the same inode number N' and a quoted inode as find -inum N", () => {
			assert.deepEqual(findRequest("Search for all files with the same inode number 41525360"), { op: "find_files", path: ".", inode: 41525360 });
			assert.deepEqual(findRequest("Find files with inode number '4242' under /var"), { op: "find_files", path: "/var", inode: 4242 });
			assert.equal(findRequest("Search for all files with the same inode number 41525360 and delete them"), null);
		});

		it("reads 'hard links to the same file F' as F's hard links, and 'in the directory tree X' closing the request as the place", () => {
			assert.deepEqual(findRequest("Find hard links to the same file proj/file1 in the directory tree proj"), {
				op: "find_files",
				path: "proj",
				same_file: "proj/file1",
			});
			assert.equal(findRequest("Find hard links to the same file proj/file1 in the directory tree proj and remove them"), null);
		});

		it("reads 'the same age or older than file F' as not newer than F (find ! -newer F)", () => {
			assert.deepEqual(findRequest("Find files under /usr that are the same age or older than file `FirstFile'"), {
				op: "find_files",
				path: "/usr",
				older_than: "FirstFile",
			});
			assert.equal(findRequest("Find files under /usr that are the same age or older than file `FirstFile' and archive them"), null);
		});

		it("keeps grep's lines when the file names are asked beside them, and the size when it is asked beside the files", () => {
			assert.deepEqual(
				findRequest("Search for 'needle' in all regular files with '.md' extension under '/srv/docs' and show the matched lines along with filenames"),
				{
					op: "grep",
					pattern: "needle",
					path: "/srv/docs",
					glob: "**/*.md",
				},
			);
			assert.deepEqual(findRequest("display the files along with the size of all the files in the current which are bigger than 10MB"), {
				op: "find_files",
				path: ".",
				min_bytes: 10485760,
			});
			assert.equal(findRequest("count the files along with the size of all the files in the current which are bigger than 10MB"), null);
		});

		it("answers 'display the matched files' after a text search with the files (grep -l), not the lines", () => {
			assert.deepEqual(findRequest("Search for 'Text To Find' in all regular files in /srv and show the matched files"), {
				op: "find_files",
				path: "/srv",
				contains: "Text To Find",
			});
			// The lines asked stay lines; an act after the files is refused.
			assert.deepEqual(findRequest("Search for 'foo' in all files under /srv and show the matched lines"), { op: "grep", pattern: "foo", path: "/srv" });
			assert.equal(findRequest("Search for 'foo' in all files under /srv and show the matched files and delete them"), null);
		});

		it("leaves out a file named with its extension at the end ('except README.txt'), and a subfolder tree 'which are not in'", () => {
			assert.deepEqual(findRequest("Find all .txt files except README.txt"), { op: "find_files", path: ".", exclude: ["README.txt"], name: "*.txt" });
			assert.deepEqual(findRequest('display all instances of "main.c" file in the current folder which are not in the sub directory tree ".git"'), {
				op: "find_files",
				path: ".",
				exclude: [".git{,/**}"],
				name: "main.c",
			});
			assert.equal(findRequest("Find all .txt files except README.txt and delete them"), null);
			// "all occurrences of "foo"" is text, never a name: only "instances of the file X" / "X file" name one.
			assert.equal(findRequest('find all instances of "foo" in /src'), null);
		});

		it("leaves out a folder said as '/name/' in the pathnames, at any depth (find ! -path '*/name/*')", () => {
			assert.deepEqual(findRequest("List all files in the \"test\" directory tree except those with '/invalid_dir/' in the pathnames"), {
				op: "find_files",
				path: "test",
				exclude: ["**/invalid_dir/**"],
			});
			// A path with one slash is not said as a glob here.
			assert.equal(findRequest("List all files in /srv except those with '/a/b' in the pathnames"), null);
		});

		it("takes 'the first N files ... found by `find'' as the first N; 'by find' names the tool, not a condition", () => {
			assert.deepEqual(findRequest("Print the first 10 files or directories found in the /tmp directory tree by `find'"), {
				op: "find_files",
				path: "/tmp",
				max_results: 10,
				type: "any",
			});
			assert.equal(findRequest("list the first 5 files found in /var by find and delete them"), null);
		});

		it("reads 'under minimum N levels down the X directory' as min depth N in X, and drops 'excluding the current folder' only where it is searched", () => {
			assert.deepEqual(findRequest("Find all directories under minimum 2 levels down the mydir directory"), {
				op: "find_files",
				path: "mydir",
				min_depth: 2,
				type: "directory",
			});
			// blind31's 6849 had left out a folder named "current": the folder searched is never listed anyway (find -mindepth 1).
			assert.deepEqual(findRequest("display all the files in the current folder excluding the current folder and do not search in the sub directories"), {
				op: "find_files",
				path: ".",
				max_depth: 1,
			});
			assert.equal(findRequest("find all files in /tmp excluding the current folder"), null);
		});

		it("reads 'the $root directory tree' as the variable's folder, never the file system's root", () => {
			assert.deepEqual(findRequest("Print all directories from the $root directory tree"), { op: "find_files", path: "$root", type: "directory" });
			assert.deepEqual(findRequest("Find all files under the root directory"), { op: "find_files", path: "/" });
		});

		it("reads 'with name pattern $filename' as the name a variable holds, kept as written", () => {
			assert.deepEqual(findRequest("Find all regular files with name pattern $filename under $fileloc directory tree"), {
				op: "find_files",
				path: "$fileloc",
				name: "$filename",
			});
			assert.equal(findRequest("Find all regular files with name pattern $filename under $fileloc directory tree and delete them"), null);
		});

		it("reads 'starting with letter a', 'start with a (quoted)', 'the tree rooted in /p' and a bracket restating non-hidden", () => {
			assert.deepEqual(findRequest("Find all HTML files starting with letter 'a' in the current directory and below"), {
				op: "find_files",
				path: ".",
				name: "a*.html",
			});
			assert.deepEqual(findRequest('find all the regular files in the current folder which start with a "draft"'), {
				op: "find_files",
				path: ".",
				name: "draft*",
			});
			assert.deepEqual(findRequest("prints the names of all files in the directory tree rooted in /usr/src whose name ends with '.h'"), {
				op: "find_files",
				path: "/usr/src",
				name: "*.h",
			});
			assert.deepEqual(findRequest('find non-hidden files (ones that do not start with the period "." character) modified in the last 2 days'), {
				op: "find_files",
				path: ".",
				exclude: [".*"],
				modified_within_days: 2,
			});
			assert.equal(findRequest("Find all HTML files starting with letter 'a' in the current directory and move them to /tmp"), null);
		});

		it("stays on one file system when asked (find -xdev): 'without traversing other devices/partitions', 'only in the mounted file systems'", () => {
			assert.deepEqual(
				findRequest("Find files/directories with inode number '212042' under '/var' directory tree without traversing other devices/partitions"),
				{
					op: "find_files",
					path: "/var",
					one_file_system: true,
					inode: 212042,
					type: "any",
				},
			);
			assert.deepEqual(findRequest('find all the files in the file system that start with "win" and searched only in the mounted file systems'), {
				op: "find_files",
				path: "/",
				name: "win*",
				one_file_system: true,
			});
			assert.equal(findRequest("find all .log files in /var without crossing other file systems and delete them"), null);
		});
	});

	describe("round 27 classes (from blind34's first run and blind33's misses and inexact calls)", () => {
		it("reads 'Search the bla directory recursively for' as that folder, 'that have one link' as exactly one (find -links 1)", () => {
			assert.deepEqual(findRequest("Search the src directory recursively for *.so files"), { op: "find_files", path: "src", name: "*.so" });
			assert.deepEqual(findRequest("Find files in the current directory tree that have one link"), {
				op: "find_files",
				path: ".",
				min_links: 1,
				max_links: 1,
			});
			assert.equal(findRequest("Find files in the current directory tree that have one link and delete them"), null);
		});

		it("reads 'whose status has changed more then 7 days ago' (then for than) and 'do not have a valid user or group'", () => {
			assert.deepEqual(findRequest("search in current directory downwards all files whose status has changed more then 7 days ago"), {
				op: "find_files",
				path: ".",
				changed_before_days: 7,
			});
			assert.deepEqual(findRequest("Search the /srv directory tree for files that do not have a valid user or group"), {
				op: "find_files",
				path: "/srv",
				unowned: "either",
			});
			assert.equal(findRequest("Search the /srv directory tree for files that do not have a valid user or group and chown them"), null);
		});

		it("stays on the root's partition when asked so (find / -xdev)", () => {
			assert.deepEqual(findRequest("search for all the deb files in the file system which reside in the same partition as that of the root"), {
				op: "find_files",
				path: "/",
				name: "*.deb",
				one_file_system: true,
			});
		});

		it("reads '... and search for the words X in each line' as a text search in the files found", () => {
			assert.deepEqual(findRequest('find all the files ending with ".md" in the current folder and search for the words "todo" in each line'), {
				op: "grep",
				pattern: "todo",
				path: ".",
				glob: "**/*.md",
			});
			assert.equal(
				findRequest('find all the files ending with ".md" in the current folder and search for the words "todo" in each line and fix them'),
				null,
			);
		});

		it("leaves out './x' said 'without traversing into', and path names containing or without a string", () => {
			assert.deepEqual(findRequest("Search for files/directories named 'a.txt' under current directory tree without traversing into './skip'"), {
				op: "find_files",
				path: ".",
				exclude: ["skip{,/**}"],
				name: "a.txt",
				type: "any",
			});
			assert.deepEqual(findRequest('Search the current directory tree for files without "test" in their path names'), {
				op: "find_files",
				path: ".",
				exclude: ["*test*"],
			});
			assert.deepEqual(findRequest('Search the current directory tree for files whose names begin with "my", ignoring path names containing "tmp"'), {
				op: "find_files",
				path: ".",
				exclude: ["*tmp*"],
				name: "my*",
			});
		});

		it("reads a dot file as the reference of 'modified after .cshrc was last modified'", () => {
			assert.deepEqual(findRequest("Find any regular files in the current directory that were modified after .bashrc was last modified"), {
				op: "find_files",
				path: ".",
				newer_than: ".bashrc",
			});
		});

		it("applies '(case insensitive)' right after a glob to the name only, never to the text searched for", () => {
			// blind33's 5535 had made the text search case-insensitive instead.
			assert.deepEqual(findRequest("Search for 'class Pool' in all *.java (case insensitive) files under current directory"), {
				op: "grep",
				pattern: "class Pool",
				path: ".",
				glob: "**/*.[jJ][aA][vV][aA]",
			});
			assert.deepEqual(findRequest("Find all *.php (case insensitive) and *.js files (case insensitive) under /srv/www"), {
				op: "find_files",
				path: "/srv/www",
				name: "*.{php,js}",
				ignore_case: true,
			});
			// A shell variable's letters are its name: the one call cannot ignore the case of what it holds.
			assert.equal(findRequest("Search for 'It took' in all $srch1* (case insensitive) files under current directory"), null);
		});

		it("lists both kinds for 'directories and regular files' and 'CSS files (and directories ending with .css)'", () => {
			// blind33's 6027 and 6483 had listed folders only.
			assert.deepEqual(findRequest("Find directories and regular files containing `blah' in their names modified less than 2 days ago"), {
				op: "find_files",
				path: ".",
				name: "*blah*",
				type: "any",
				modified_within_days: 2,
			});
			assert.deepEqual(findRequest('list all CSS files (and directories ending with ".css") under the current directory'), {
				op: "find_files",
				path: ".",
				name: "*.css",
				type: "any",
			});
		});

		it("takes 'and if the file is found quit' as the first match, 'extended file information for ... files found' as a listing", () => {
			assert.deepEqual(findRequest('search for a file "notes" in current folder and if the file is found quit !'), {
				op: "find_files",
				path: ".",
				max_results: 1,
				name: "notes",
			});
			assert.deepEqual(findRequest("Print extended file information for regular files found under the home directory whose names start with my"), {
				op: "find_files",
				path: "~",
				name: "my*",
			});
			// "and stop" is not read as quitting the search.
			assert.equal(findRequest("find files in /srv and stop"), null);
		});

		it("reads 'under dir' before a clause as a folder named dir, never the current folder", () => {
			assert.deepEqual(findRequest("Find all directories under dir which are empty"), { op: "find_files", path: "dir", type: "directory", empty: true });
		});

		it("follows symbolic links when asked (find -L), only for a listing: lines through links are not what search_text walks", () => {
			assert.deepEqual(findRequest("Search the current directory recursively for MOV files, following symlinks"), {
				op: "find_files",
				path: ".",
				name: "*.mov",
				follow_links: true,
			});
			assert.deepEqual(findRequest("Find all files/directories under /srv directory and follow symlinks if needed"), {
				op: "find_files",
				path: "/srv",
				follow_links: true,
				type: "any",
			});
			assert.equal(findRequest("Recursively search for 'foo' in all files under /srv, following symlinks"), null);
			assert.equal(findRequest("Find all symlinks in /srv following symlinks"), null);
			assert.equal(findRequest("Find all regular files under /srv without following symlinks"), null);
			assert.equal(findRequest("Find all files in /srv following symlinks and delete them"), null);
		});

		it("reads 'writable by somebody (their owner, or their group, or anybody else)' as any write bit", () => {
			assert.deepEqual(findRequest("Search for files/directories which are writable by somebody (their owner, or their group, or anybody else)"), {
				op: "find_files",
				path: ".",
				permissions_any: "222",
				type: "any",
			});
		});
	});

	describe("round 28 classes (from blind36's first run and inexact calls, and blind35's)", () => {
		it("reads 'letters a-j' as a range of first letters, and 'a listing of the X directory tree' as every entry below X", () => {
			// blind36's 5436 had searched the name a-j*; 5676 had listed files only.
			assert.deepEqual(findRequest("Look for files whose names begin with letters a-j"), { op: "find_files", path: ".", name: "[a-j]*" });
			assert.deepEqual(findRequest("Print a listing of the /usr/local/etc directory tree"), { op: "find_files", path: "/usr/local/etc", type: "any" });
			assert.equal(findRequest("Look for files whose names begin with letters a-j and delete them"), null);
		});

		it("reads 'Search every directory except X for a regular file F' as a file search, the folders being where", () => {
			// blind36's 7128 had listed folders named myfile.
			assert.deepEqual(findRequest("Search every directory except the subdirectory skipme for a regular file 'notes'"), {
				op: "find_files",
				path: ".",
				exclude: ["skipme{,/**}"],
				name: "notes",
			});
		});

		it("reads 'modified N-M days ago', 'of size between A and B', '(approx)', 'N at the most' and 'starting from the home directory'", () => {
			assert.deepEqual(findRequest("search for all the perl files in the folder /srv/perl which have been modified 8-10 days ago."), {
				op: "find_files",
				path: "/srv/perl",
				name: "*.{pl,pm}",
				modified_before_days: 8,
				modified_within_days: 10,
			});
			assert.deepEqual(findRequest("Find files in the current directory tree of size between 700k and 1000k"), {
				op: "find_files",
				path: ".",
				min_bytes: 716800,
				max_bytes: 1024000,
			});
			assert.deepEqual(
				findRequest("search for all the files in the current directory which have size greater than 10KB (approx) and less than 32KB(approx)."),
				{
					op: "find_files",
					path: ".",
					min_bytes: 10240,
					max_bytes: 32768,
				},
			);
			assert.deepEqual(findRequest("List HTML files starting from the home directory that are 50k at the most"), {
				op: "find_files",
				path: "~",
				name: "*.html",
				max_bytes: 51200,
			});
			assert.equal(findRequest("List HTML files starting from the home directory that are 50k at the most and compress them"), null);
		});

		it("reads 'last modified in March 2007' as that calendar month, and 'and display details' as a long listing", () => {
			assert.deepEqual(findRequest("List all files in the current directory tree that were last modified in March 2007"), {
				op: "find_files",
				path: ".",
				modified_from_date: "2007-03-01",
				modified_before_date: "2007-04-01",
			});
			assert.deepEqual(findRequest("find all directories that names are 'project.images' and display details"), {
				op: "find_files",
				path: ".",
				name: "project.images",
				type: "directory",
			});
			assert.equal(findRequest("List all files in the current directory tree that were last modified in March 2007 and archive them"), null);
		});

		it("reads 'that belong to user1' closing the request as the owner, never a group", () => {
			assert.deepEqual(findRequest("Find all files starting from / that belong to user1"), { op: "find_files", path: "/", owner: "user1" });
			assert.deepEqual(findRequest("find all files that belong to group staff"), { op: "find_files", path: ".", group: "staff" });
		});

		it("leaves out a folder said from above the place searched ('under the build directory except build/external')", () => {
			// blind35's 6731 had left out build/external below build, which leaves nothing out.
			assert.deepEqual(findRequest("find all js files under the build directory except build/external directory."), {
				op: "find_files",
				path: "build",
				exclude: ["external{,/**}"],
				name: "*.js",
			});
			assert.deepEqual(findRequest('search files in the file system excluding those in the paths "/export/repo" and "/proc"'), {
				op: "find_files",
				path: "/",
				exclude: ["export/repo", "proc{,/**}"],
			});
		});
	});

	describe("round 29 classes (from blind38's first run and inexact calls)", () => {
		it("reads a pattern glossing the hidden ones as no name to find, and 'paths that contain dot files/directories' as hidden", () => {
			// blind38's 5610 had searched for names .?* while leaving out .*: nothing could pass.
			assert.deepEqual(findRequest("Find recursively all regular files in /srv skipping hidden files and directories matching pattern '.?*'"), {
				op: "find_files",
				path: "/srv",
				exclude: [".*"],
			});
			assert.deepEqual(
				findRequest("Find all regular files under /srv that contain 'log' in their names excluding paths that contain dot files/directories"),
				{
					op: "find_files",
					path: "/srv",
					exclude: [".*"],
					name: "*log*",
				},
			);
		});

		it("never reads a word of the output as an extension, nor folders of a name as the ones to list", () => {
			// blind38's 6006 had searched *.{c,h,name}; 6126 had listed the folders it asked to leave out.
			assert.deepEqual(
				findRequest(
					"Finds recursively all files having extension .c, .h in '/src/' that contain 'TODO', and prints matched strings with string number and file name.",
				),
				{ op: "grep", pattern: "TODO", path: "/src", glob: "**/*.{c,h}" },
			);
			assert.deepEqual(findRequest('search for all regular files in the current directory which have the extension "c" or "asm"'), {
				op: "find_files",
				path: ".",
				name: "*.{c,asm}",
			});
			assert.equal(
				findRequest(
					'display all the regular files in current folder excluding all the directories and all the sub directories having "normal" in their name',
				),
				null,
			);
		});

		it("reads 'modified after the files F', 'hard links of file F', 'sometime in the last', and dates 'between A and B'", () => {
			assert.deepEqual(findRequest('display all the files in the current folder which have been modified after the files "/bin/sh"'), {
				op: "find_files",
				path: ".",
				newer_than: "/bin/sh",
			});
			assert.deepEqual(findRequest("Locate all the hard links of file `passwd'"), { op: "find_files", path: ".", same_file: "passwd" });
			assert.deepEqual(findRequest("Find all files in /srv that have been modified sometime in the last 24 hours."), {
				op: "find_files",
				path: "/srv",
				modified_within_days: 1,
			});
			assert.deepEqual(findRequest("Find all the files in /srv which have been modified between 2014-08-25 and 2014-08-26"), {
				op: "find_files",
				path: "/srv",
				modified_from_date: "2014-08-25",
				modified_before_date: "2014-08-26",
			});
			assert.equal(findRequest("Find all the files in /srv which have been modified between 2014-08-26 and 2014-08-25"), null);
			assert.equal(findRequest("Locate all the hard links of file `passwd' and delete them"), null);
		});

		it("reads 'at least these permissions: 647' and 'at least 644 permissions' as every bit set (find -perm -647)", () => {
			assert.deepEqual(findRequest("Search the /srv directory tree for regular files with at least these permissions: 647"), {
				op: "find_files",
				path: "/srv",
				permissions_all: "647",
			});
			assert.deepEqual(findRequest("Find files in entire file system with at least 644 permissions"), {
				op: "find_files",
				path: "/",
				permissions_all: "644",
			});
			assert.equal(findRequest("Find files in /srv with at least 644 permissions and chmod them"), null);
		});

		it("reads pagers, 'list the details of', 'show it in long listing format' and quoted 'Permission denied' errors as presentation", () => {
			assert.deepEqual(findRequest("Search the ./in_save directory for regular files and view the result using pager `more'"), {
				op: "find_files",
				path: "./in_save",
			});
			assert.deepEqual(findRequest("find all the text files in the current folder and display the results pagewise"), {
				op: "find_files",
				path: ".",
				name: "*.txt",
			});
			assert.deepEqual(findRequest("list the details of all the directories in the current folder"), { op: "find_files", path: ".", type: "directory" });
			assert.deepEqual(findRequest("Find a directory named 'images' in /srv and show it in long listing format"), {
				op: "find_files",
				path: "/srv",
				name: "images",
				type: "directory",
			});
			assert.deepEqual(findRequest("Find all *.txt files/directories under current directory discarding 'Permission denied' errors"), {
				op: "find_files",
				path: ".",
				name: "*.txt",
				type: "any",
			});
		});

		it("reads a word in the file or in the file name said bare, a start said 'at the beginning of their names', and 'directory trees A and B'", () => {
			assert.deepEqual(findRequest("Find all files under and below the current working directory with the word California in the file"), {
				op: "grep",
				pattern: "California",
				path: ".",
			});
			assert.deepEqual(findRequest("search for files having python in filename"), { op: "find_files", path: ".", name: "*python*" });
			assert.deepEqual(
				findRequest(
					"Find all files/directories under '/usr/share/doc' directory tree that contain 'readme' (case insensitive) at the beginning of their names",
				),
				{
					op: "find_files",
					path: "/usr/share/doc",
					ignore_case: true,
					name: "readme*",
					type: "any",
				},
			);
			assert.deepEqual(findRequest("Locate symlinks in directory trees lpi104-6 and research/lpi104-6"), {
				op: "find_files",
				path: "lpi104-6",
				paths: ["research/lpi104-6"],
				type: "symlink",
			});
		});
	});

	describe("round 30 classes (from blind40's first run and blind39's and blind40's inexact calls)", () => {
		it("reads '*.app directories' as folders named by the glob, never the glob without its star", () => {
			// blind39's 6220 and blind40's 8493 had searched folders named .pl / .app.
			assert.deepEqual(findRequest("Search the /Applications directory tree for *.app directories"), {
				op: "find_files",
				path: "/Applications",
				name: "*.app",
				type: "directory",
			});
			assert.deepEqual(findRequest("List *.pl directories in the current directory tree"), {
				op: "find_files",
				path: ".",
				name: "*.pl",
				type: "directory",
			});
			assert.equal(findRequest("List *.pl directories in the current directory tree and remove them"), null);
		});

		it("leaves out '$dir/x' below the place '$dir', as any place said from above", () => {
			// blind39's 6592 had left out $dir/prune_me below $dir (nothing).
			assert.deepEqual(findRequest("list all files under $dir directory except path $dir/prune_me directory"), {
				op: "find_files",
				path: "$dir",
				exclude: ["prune_me{,/**}"],
			});
		});

		it("reads 'exactly of size', 'size greater than or equal to', capital plurals ('MP3s') and 'Find all directories under mydir'", () => {
			assert.deepEqual(findRequest("find all the files in the folder /home which are exactly of size 10MB"), {
				op: "find_files",
				path: "/home",
				min_bytes: 9437185,
				max_bytes: 10485760,
			});
			assert.deepEqual(
				findRequest("find all the normal files in /srv which have been accessed in the last 30 days with the size greater than or equal to 100k."),
				{
					op: "find_files",
					path: "/srv",
					accessed_within_days: 30,
					min_bytes: 102400,
				},
			);
			assert.deepEqual(findRequest("Find all MP3s in the /home directory tree"), { op: "find_files", path: "/home", name: "*.mp3" });
			assert.deepEqual(findRequest("Find all directories under mydir"), { op: "find_files", path: "mydir", type: "directory" });
			assert.equal(findRequest("Find all directories under mydir and delete them"), null);
		});

		it("reads 'the file hierarchy' as the whole file system and 'without searching any mounted removable media' as find -xdev", () => {
			assert.deepEqual(findRequest("Search the file hierarchy for files larger than 100000 KB without searching any mounted removable media"), {
				op: "find_files",
				path: "/",
				one_file_system: true,
				min_bytes: 102400000,
			});
		});

		it("never reads a number said of the name as a permission mode ('do not have 2015 in their names')", () => {
			// blind41's 5926 (after its first run) had been read as ! -perm 2015.
			assert.deepEqual(findRequest("Find files under '/travelphotos' directory tree which are bigger than 200KB and do not have 2015 in their names"), {
				op: "find_files",
				path: "/travelphotos",
				name_regex: "(?!(?:.*2015.*)$).*",
				min_bytes: 204800,
			});
			assert.deepEqual(findRequest("find files in /srv that do not have 644 permissions"), { op: "find_files", path: "/srv", permissions_not: "644" });
		});

		it("reads 'excluding files/directories with name X' and 'Print concatenated content of all files ending with .foo'", () => {
			assert.deepEqual(findRequest("Find all files/directories under current directory tree excluding files/directories with name 'skip_me'"), {
				op: "find_files",
				path: ".",
				exclude: ["skip_me"],
				type: "any",
			});
			assert.deepEqual(findRequest("Print concatenated content of all files ending with '.foo' under the current folder"), {
				op: "read_files",
				path: ".",
				glob: "**/*.foo",
			});
		});
	});

	describe("round 31 classes (from blind42's first run and inexact calls)", () => {
		it("reads 'the current folders' as the current folder, refuses a glob as the place, and keeps a quoted 'git' as written", () => {
			// blind42's 8306 had listed folders, 8450 the entries named _CACHE_*, 8666 had left out .git for "git".
			assert.deepEqual(findRequest("display a list of all java or jsp files in the current folders"), {
				op: "find_files",
				path: ".",
				name: "*.{java,jsp}",
			});
			assert.equal(findRequest("Find all files/directories under _CACHE_* directories"), null);
			assert.deepEqual(findRequest('display all the regular files in the current folder excluding those that are present in the path "git"'), {
				op: "find_files",
				path: ".",
				exclude: ["git"],
			});
			assert.deepEqual(findRequest("display all the regular files in the current folder ignoring .git path")?.op, "find_files");
		});

		it("reads 'accessed (in) today (from the start of the day)' as the access time since midnight (find -daystart -atime 0)", () => {
			assert.deepEqual(findRequest("find all the files in the current folder that have been accessed in today from the start of the day"), {
				op: "find_files",
				path: ".",
				daystart: true,
				accessed_within_days: 1,
			});
		});

		it("reads 'the extended grep regex X' as a regular expression, 'including cyclic links' after broken symlinks, and 'entrie'", () => {
			assert.deepEqual(findRequest("Search for the extended grep regex 'a+b' in all files with '.c' and '.h' extension under current directory tree"), {
				op: "grep",
				pattern: "a+b",
				path: ".",
				glob: "**/*.{c,h}",
				regex: true,
			});
			assert.deepEqual(findRequest("List all broken symlinks including cyclic links under current directory"), {
				op: "find_files",
				path: ".",
				type: "symlink",
				broken: true,
			});
			assert.deepEqual(findRequest("Find all files/directories named 'apt' in the entrie filesystem"), {
				op: "find_files",
				path: "/",
				name: "apt",
				type: "any",
			});
		});

		it("reads 'modified in 1 year or more' and 'not been read in thirty days or more' as not in the last span, a restating bracket dropped", () => {
			assert.deepEqual(
				findRequest("find all the files in the home folder which have been modified in 1 year or more ( which are not modified in the last 1 year )."),
				{
					op: "find_files",
					path: "~",
					modified_before_days: 365,
				},
			);
			assert.deepEqual(findRequest("List all files that have not been read in thirty days or more"), {
				op: "find_files",
				path: ".",
				accessed_before_days: 30,
			});
			assert.equal(findRequest("List all files that have not been read in thirty days or more and delete them"), null);
		});

		it("reads 'in a single line separated by null command' as NUL-separated names", () => {
			assert.deepEqual(findRequest("display all the files in the current folder in a single line separated by null command"), {
				op: "find_files",
				path: ".",
			});
		});
	});

	describe("round 32 classes (from blind44's first run and blind43's inexact call)", () => {
		it("reads 'X in their names and Y in their path names', 'that are orphaned' and 'which have the group G'", () => {
			assert.deepEqual(findRequest('Search for files with "report" in their names and "2020" in their path names'), {
				op: "find_files",
				path: ".",
				path_regex: ".*2020.*",
				name: "*report*",
			});
			assert.deepEqual(findRequest("Find files that are orphaned"), { op: "find_files", path: ".", unowned: "either" });
			assert.deepEqual(
				findRequest(
					"search for all the files in the current directory which have the group staff and have write permission enabled to the user and display them.",
				),
				{ op: "find_files", path: ".", permissions_all: "200", group: "staff" },
			);
			assert.equal(findRequest("Find files that are orphaned and delete them"), null);
		});

		it("reads 'in long format', 'and list them if they are ...', 'through only the A and B directories'", () => {
			assert.deepEqual(findRequest("Recursively lists all files in a current folder in long format."), { op: "find_files", path: "." });
			assert.deepEqual(
				findRequest('Search the current directory tree for the files with extension "trc" and list them if they are more than three days old'),
				{
					op: "find_files",
					path: ".",
					name: "*.trc",
					modified_before_days: 3,
				},
			);
			assert.deepEqual(findRequest("search through only the /usr and /home directories for any file named Chapter1.txt"), {
				op: "find_files",
				path: "/usr",
				paths: ["/home"],
				name: "Chapter1.txt",
			});
		});

		it("leaves out 'files with .ksh extension' (any dotted extension) and 'the files (quoted) and (quoted)'", () => {
			assert.deepEqual(findRequest("Find all regular files under '/home/john/scripts' directory tree excluding files with '.ksh' extension"), {
				op: "find_files",
				path: "/home/john/scripts",
				exclude: ["*.ksh"],
			});
			assert.deepEqual(findRequest('display all the regular/normal files in the current folder excluding the files "bbb" and "yyy"'), {
				op: "find_files",
				path: ".",
				exclude: ["bbb", "yyy"],
			});
			// A bare unknown word is no extension.
			assert.equal(findRequest("Find all regular files under /srv excluding blah files"), null);
		});

		it("reads 'the directory with the name X' as a folder (blind43's 8535 had searched files)", () => {
			assert.deepEqual(findRequest("search for the directory with the name aa in the current folder"), {
				op: "find_files",
				path: ".",
				name: "aa",
				type: "directory",
			});
		});
	});

	describe("round 33 classes (from blind46's first run)", () => {
		it("reads 'ignoring removable media' as find -xdev and 'omitting paths ./A/*, ./B/*' as what is below those folders", () => {
			assert.deepEqual(findRequest("Search the system for *.rpm files ignoring removable media"), {
				op: "find_files",
				path: "/",
				name: "*.rpm",
				one_file_system: true,
			});
			assert.deepEqual(
				findRequest("List in detail all *.txt files in the current directory tree, omitting paths ./Movies/*, ./Downloads/*, and ./Music/*"),
				{
					op: "find_files",
					path: ".",
					exclude: ["Movies/**", "Downloads/**", "Music/**"],
					name: "*.txt",
				},
			);
		});

		it("reads 'either a .php or a .js extension', 'cpp folder in their path', a capital or a digit first", () => {
			assert.deepEqual(findRequest("Find all files that have either a .php or a .js extension"), { op: "find_files", path: ".", name: "*.{php,js}" });
			assert.deepEqual(findRequest("find all regular/normal files which have cpp folder in their path"), {
				op: "find_files",
				path: ".",
				path_regex: ".*/cpp/.*",
			});
			assert.deepEqual(findRequest("find all files starting with capital letter in the current folder"), { op: "find_files", path: ".", name: "[A-Z]*" });
			assert.deepEqual(findRequest("find any files in the current directory that begin with a number"), { op: "find_files", path: ".", name: "[0-9]*" });
			assert.equal(findRequest("find all files starting with capital letter in the current folder and rename them"), null);
		});

		it("reads NUL or newline separators said otherwise, 'pass them to the ls command', 'Do not display any errors', 'the directory contents of'", () => {
			assert.deepEqual(findRequest("display all files in current folder with NULL separating each file"), { op: "find_files", path: "." });
			assert.deepEqual(findRequest("find all the normal/regular files in current directory and display file names with new line as delimiter"), {
				op: "find_files",
				path: ".",
			});
			assert.deepEqual(findRequest("Find all the .mp3 files in the music folder recursively and pass them to the ls command"), {
				op: "find_files",
				path: "music",
				name: "*.mp3",
			});
			assert.deepEqual(findRequest("find all the links in the directory students and print them. Do not display any errors."), {
				op: "find_files",
				path: "students",
				type: "symlink",
			});
			assert.deepEqual(findRequest("List the directory contents of the current working directory"), {
				op: "find_files",
				path: ".",
				max_depth: 1,
				type: "any",
			});
		});
	});

	describe("after blind47's first run (in-sample): its false route and its inexact call", () => {
		it("refuses the folders that hold files of a kind (their parents), never folders named by the kind", () => {
			// blind47's 8312 had listed folders named *.todo (a false route).
			assert.equal(findRequest('display a long list of all the directories which have files ending with ".todo"'), null);
			assert.equal(findRequest("find all folders that contain a file named x.conf"), null);
		});

		it("reads 'Search A and B for (quoted name.ext)' with nothing of text as a file's name, a bare string as text", () => {
			// blind47's 8828 had searched the name as text.
			assert.deepEqual(findRequest('Search directory trees /tmp and /var/tmp for "testfile.txt"'), {
				op: "find_files",
				path: "/tmp",
				paths: ["/var/tmp"],
				name: "testfile.txt",
			});
			assert.deepEqual(findRequest('Search /srv for "ERROR"'), { op: "grep", pattern: "ERROR", path: "/srv" });
		});
	});

	describe("round 34 classes (from blind48's first run)", () => {
		it("reads 'with uid=1000' as the owner by number, and a comma-only list of places before 'for'", () => {
			assert.deepEqual(findRequest("Find all files in the /var/tmp directory tree with uid=1000"), { op: "find_files", path: "/var/tmp", owner: "1000" });
			assert.deepEqual(findRequest("Find all files with uid = 0 in /etc"), { op: "find_files", path: "/etc", owner: "0" });
			assert.equal(findRequest("Remove all files in /var/tmp with uid=1000"), null);
			assert.deepEqual(findRequest("Search /usr, /home, /tmp for *.jar files"), {
				op: "find_files",
				path: "/usr",
				paths: ["/home", "/tmp"],
				name: "*.jar",
			});
			assert.equal(findRequest("Search /usr, /home, /tmp for *.jar files and delete them"), null);
		});

		it("reads 'with no 'read' privilege for 'others'' as that one bit missing; 'no ... for anybody' or two classes stay refused", () => {
			assert.deepEqual(findRequest("Search the current directory for all files with no 'read' privilege for 'others'"), {
				op: "find_files",
				path: ".",
				permissions_lacking: "004",
			});
			assert.deepEqual(findRequest("find files with no write permission for the group"), { op: "find_files", path: ".", permissions_lacking: "020" });
			assert.equal(findRequest("find files with no read permission for anybody"), null);
			assert.equal(findRequest("find files with no read permission for user or group"), null);
		});

		it("reads 'modified between 50 to 100 days' as days ago, 'discard all the errors and' said first, 'given as variable $dir'", () => {
			assert.deepEqual(findRequest("find all the files in the entire file system that have been modified between 50 to 100 days and display ten files"), {
				op: "find_files",
				path: "/",
				max_results: 10,
				modified_before_days: 50,
				modified_within_days: 100,
			});
			assert.equal(findRequest("find files modified between 2 to 5 days from now"), null);
			assert.equal(findRequest("find files modified between 50 to 100 days and delete them"), null);
			assert.deepEqual(findRequest('discard all the errors and search for the file "program.c" in the entire file system'), {
				op: "find_files",
				path: "/",
				name: "program.c",
			});
			assert.equal(findRequest('discard all the errors and delete the file "program.c"'), null);
			assert.deepEqual(findRequest("Search the directory tree given as variable $dir for regular files"), { op: "find_files", path: "$dir" });
			assert.deepEqual(findRequest("Search the directory given as variable $d for empty subdirectories"), {
				op: "find_files",
				path: "$d",
				type: "directory",
				empty: true,
			});
			assert.equal(findRequest("Print the names of all files under and below the two directories given as variables $A and $B"), null);
			assert.equal(findRequest("Delete all hidden files in the directory tree given as variable $FOLDER"), null);
		});

		it("keeps files when 'all of it's sub-directories' is said, and reads 'only in the current directory' as its own entries", () => {
			// blind48's 7320 had listed folders named MyProgram.c; its 8760 had gone down the tree.
			assert.deepEqual(findRequest('Find all files with the name "MyProgram.c" in the current directory and all of it\'s sub-directories.'), {
				op: "find_files",
				path: ".",
				name: "MyProgram.c",
			});
			assert.deepEqual(findRequest("List only the non-hidden empty files only in the current directory."), {
				op: "find_files",
				path: ".",
				exclude: [".*"],
				max_depth: 1,
				empty: true,
			});
			assert.deepEqual(findRequest("find .txt files only in the current directory and below"), { op: "find_files", path: ".", name: "*.txt" });
			assert.deepEqual(findRequest("list the files only in the current directory tree"), { op: "find_files", path: "." });
		});
	});

	describe("round 35 classes (from blind50's first run)", () => {
		it("mends 'groep', 'grooup' and 'Fint', reads 'which are not empty' for files, a bracket class in a glob", () => {
			assert.deepEqual(findRequest('find all the files in the file system which belong to the groep "users" and with the name "dateiname"'), {
				op: "find_files",
				path: "/",
				name: "dateiname",
				group: "users",
			});
			assert.deepEqual(findRequest("Search for regular files of the grooup 'users' in the file system"), { op: "find_files", path: "/", group: "users" });
			assert.deepEqual(findRequest("Fint all *.txt files/directories under /mnt/msdos and without error reporting"), {
				op: "find_files",
				path: "/mnt/msdos",
				name: "*.txt",
				type: "any",
			});
			assert.deepEqual(findRequest("display all files in the current folder which are not empty"), { op: "find_files", path: ".", min_bytes: 1 });
			// A folder's emptiness is not a size: refused.
			assert.equal(findRequest("display all directories in the current folder which are not empty"), null);
			assert.deepEqual(findRequest("Find all *.[ch] files under current directory"), { op: "find_files", path: ".", name: "*.[ch]" });
			assert.equal(findRequest("Find all *.[ch] files under current directory and compile them"), null);
		});

		it("reads 'the root filesystem partition' as / on its own file system, 'N bytes ( Characters )', '(/home/user)' after the home", () => {
			assert.deepEqual(findRequest("Find files/directories named 'foo.bar' in the root filesystem partition"), {
				op: "find_files",
				path: "/",
				name: "foo.bar",
				one_file_system: true,
				type: "any",
			});
			assert.deepEqual(findRequest("Search in current directory downwards all files whose size is 10 bytes ( Characters ) ."), {
				op: "find_files",
				path: ".",
				min_bytes: 10,
				max_bytes: 10,
			});
			assert.deepEqual(findRequest("Search for files greater than 20MB under your home directory (/home/user)"), {
				op: "find_files",
				path: "~",
				min_bytes: 20971520,
			});
		});

		it("never drops a path left over in brackets (it had searched the home for 'your home directory (/etc)')", () => {
			assert.equal(findRequest("Search for files greater than 20MB under your home directory (/etc)"), null);
		});

		it("reads 'Find the \"param1\" string in regular files' as a text search and 'instances of the .profile file' as that name", () => {
			assert.deepEqual(findRequest('Find the "param1" string in regular files under and below /var'), { op: "grep", pattern: "param1", path: "/var" });
			assert.equal(findRequest('Find the "param1" string in regular files and delete them'), null);
			// blind50's 9177 had searched *.profile.
			assert.deepEqual(findRequest("display all instances of the .profile file in the entire file system"), {
				op: "find_files",
				path: "/",
				name: ".profile",
			});
		});
	});

	describe("after blind51's first run (in-sample): its act read as a condition and its inexact call", () => {
		it("reads 'and set their SGID bit' as an act, 'with the SGID bit set' as a condition", () => {
			// blind51's 8530 had listed the folders that have the bit.
			assert.equal(asksToAct("Find all directories under /var/www/some/subset and set their SGID bit"), true);
			assert.equal(asksToAct("find all files and set the permission to 644"), true);
			assert.equal(asksToAct("Find all directories under /var/www with the SGID bit set"), false);
			assert.equal(asksToAct("find files which have the setuid bit set"), false);
			assert.equal(asksToAct("where do we set the JWT_SECRET env var"), false);
		});

		it("lists files, not folders, for 'files in directories at least N levels down the directory tree'", () => {
			// blind51's 8194 had listed folders named *log.
			assert.deepEqual(findRequest("Look for *log files in directories at least three levels down the directory tree"), {
				op: "find_files",
				path: ".",
				min_depth: 3,
				name: "*log",
			});
		});
	});

	describe("round 36 classes (from blind51's and blind52's first runs)", () => {
		it("takes a quoted folder name whatever word it is, and refuses 'excluding hidden directories' alone and 'in and below all subdirectories of'", () => {
			// blind52's 9194 had searched "."; its 10022 had left out folders named "hidden"; its 10094 had listed folders.
			assert.deepEqual(findRequest('Find all directories named "D" in the "A" directory tree'), {
				op: "find_files",
				path: "A",
				name: "D",
				type: "directory",
			});
			assert.equal(findRequest("Find all files under current directory excluding hidden directories"), null);
			assert.equal(findRequest("Find all files in and below all subdirectories of the current directory"), null);
			assert.deepEqual(findRequest("Find all files under current directory excluding hidden files and directories"), {
				op: "find_files",
				path: ".",
				exclude: [".*"],
			});
		});

		it("reads 'writable by both the other and the group', removable media glossed 'such as cdrom, floppy, etc.', 'and show the first one'", () => {
			assert.deepEqual(findRequest("Find files that are writable by both the “other” and the group under the plsql directory"), {
				op: "find_files",
				path: "plsql",
				permissions_all: "022",
			});
			assert.deepEqual(findRequest('Find all files and directories whose names end in ".rpm", ignoring removable media, such as cdrom, floppy, etc.'), {
				op: "find_files",
				path: ".",
				name: "*.rpm",
				one_file_system: true,
				type: "any",
			});
			assert.deepEqual(findRequest("find all files named 'a.txt' in the current folder and show the first one"), {
				op: "find_files",
				path: ".",
				name: "a.txt",
				max_results: 1,
			});
		});

		it("reads 'somewhere in its name', 'the string literal', 'in a fast way' and 'configuration files' (*.conf)", () => {
			assert.deepEqual(findRequest('Find any file that has "disc" somewhere in its name in the current directory and all of its sub-directories.'), {
				op: "find_files",
				path: ".",
				name: "*disc*",
			});
			assert.deepEqual(findRequest("Find all files/directories that contain the string literal '$VERSION' in their names under current directory tree"), {
				op: "find_files",
				path: ".",
				name: "*$VERSION*",
				type: "any",
			});
			assert.deepEqual(findRequest("List all .jpg files in the home directory tree in a fast way"), { op: "find_files", path: "~", name: "*.jpg" });
			assert.deepEqual(findRequest("find all the configuration files in the file system"), { op: "find_files", path: "/", name: "*.conf" });
			assert.equal(findRequest("find all the configuration files in the file system and back them up"), null);
		});
	});

	describe("round 37 classes (from blind54's first run)", () => {
		it("reads 'not case sensitive', 'modified after profile file', 'whose permissions are not 644'", () => {
			assert.deepEqual(findRequest("find not case sensitive all directories that names are 'apt'"), {
				op: "find_files",
				path: ".",
				ignore_case: true,
				name: "apt",
				type: "directory",
			});
			assert.deepEqual(findRequest("find all hidden files in the current folder which have been modified after profile file"), {
				op: "find_files",
				path: ".",
				newer_than: "profile",
				name: ".*",
			});
			assert.equal(findRequest("find all files which have been modified after the file and delete them"), null);
			assert.deepEqual(findRequest("Find all files under directory tree /path/to/dir whose permissions are not 644"), {
				op: "find_files",
				path: "/path/to/dir",
				permissions_not: "644",
			});
		});

		it("reads 'starting from one level below', 'one level deep', 'minimum 10 level down', 'in the sorted order of their name'", () => {
			assert.deepEqual(findRequest("Search directory /home/ABCD recursively, starting from one level below, for regular files"), {
				op: "find_files",
				path: "/home/ABCD",
			});
			assert.deepEqual(findRequest("List files and directories one level deep in the current directory tree"), {
				op: "find_files",
				path: ".",
				max_depth: 1,
				type: "any",
			});
			assert.deepEqual(findRequest("find files at least one level deep"), { op: "find_files", path: ".", min_depth: 1 });
			assert.deepEqual(
				findRequest(
					"Find all files/directories with case insensitive name pattern $TARGET that are located in minimum 10 level down the current directory",
				),
				{
					op: "find_files",
					path: ".",
					ignore_case: true,
					min_depth: 10,
					name: "$TARGET",
					type: "any",
				},
			);
			assert.deepEqual(findRequest("find all the files in the current folder and display them in the sorted order of their name"), {
				op: "find_files",
				path: ".",
			});
			assert.equal(findRequest("find all the files in the current folder and display them in the sorted order of their size"), null);
		});
	});

	describe("after blind55's first run (in-sample): its inexact call", () => {
		it("refuses the files in the level N subdirectories (it had listed those folders), keeps 'List level 2 subdirectories'", () => {
			assert.equal(findRequest("Find all files in the level 6 subdirecotries of /usr/src and below, ignoring CVS files"), null);
			assert.deepEqual(findRequest("List level 2 subdirectories of /usr"), {
				op: "find_files",
				path: "/usr",
				max_depth: 2,
				min_depth: 2,
				type: "directory",
			});
		});
	});

	describe("round 38 classes (from blind56's first run)", () => {
		it("reads 'using echo' as how names are printed and 'putting a null between each file found' as NUL separators", () => {
			assert.deepEqual(findRequest('Print the list of all regular files on the system using "echo"'), { op: "find_files", path: "/" });
			assert.deepEqual(findRequest("List files in the current directory tree using echo"), { op: "find_files", path: "." });
			assert.equal(findRequest("find all files and echo them"), null);
			assert.deepEqual(findRequest("list regular files under the current directory ending in .mbox putting a null between each file found"), {
				op: "find_files",
				path: ".",
				name: "*.mbox",
			});
		});

		it("reads 'in the current disk partition' as the current file system only", () => {
			assert.deepEqual(findRequest("find all the .log files in the current disk partition"), {
				op: "find_files",
				path: ".",
				name: "*.log",
				one_file_system: true,
			});
		});
	});

	describe("after blind57's first run (in-sample): its false route and the two lines earlier rounds had lost", () => {
		it("reads names read into a Bash array as an act (its false route 9116)", () => {
			assert.equal(asksToAct("Read all *.txt file paths under /foo into a Bash array ($files)"), true);
			assert.equal(asksToAct("find all .txt files and put the list in a file"), false);
		});

		it("keeps a lone '/' restating the root (9548) and 'atleast one level deep' (10424), both routed on main before rounds 35 and 37", () => {
			assert.deepEqual(findRequest("Find all .php files starting from the root directory /"), { op: "find_files", path: "/", name: "*.php" });
			assert.deepEqual(findRequest("display all the directories in the current folder which are atleast one level deep"), {
				op: "find_files",
				path: ".",
				min_depth: 1,
				type: "directory",
			});
			assert.equal(findRequest("Search for files greater than 20MB under your home directory (/etc)"), null);
			// Files or links: no one type says both (blind26's 3864 had listed links only).
			assert.equal(findRequest("Find all executable upvoter-* files/symlinks under maximum 1 level down the {} directory"), null);
		});
	});
});

describe("router/find: round 39 classes (from blind58's first-run misses; in-sample for blind58 since)", () => {
	it("reads 'starting from root', the noun left out, as the root (10596); 'starting with root' stays a name", () => {
		assert.deepEqual(findRequest("List all directories starting from root that have sticky bit set"), {
			op: "find_files",
			path: "/",
			type: "directory",
			permissions_any: "1000",
		});
		assert.deepEqual(findRequest("Find all files starting with root"), { op: "find_files", path: ".", name: "root*" });
		assert.deepEqual(findRequest("find files starting from root/foo"), { op: "find_files", path: "root/foo" });
		// Two places said: not answered.
		assert.equal(findRequest("Find all files under /srv starting from root"), null);
	});

	it("reads 'and directories below' as recursion, not as folders listed (9204 had listed folders named *.sql)", () => {
		assert.deepEqual(findRequest("Search the current directory and directories below for .sql files"), {
			op: "find_files",
			path: ".",
			name: "*.sql",
		});
		assert.deepEqual(findRequest("find all directories below /tmp"), { op: "find_files", path: "/tmp", type: "directory" });
		assert.deepEqual(findRequest("list all directories in the current directory and directories below"), {
			op: "find_files",
			path: ".",
			type: "directory",
		});
	});

	it("reads the typo 'acces' before a time span as accessed (10500)", () => {
		assert.deepEqual(findRequest("find all the html files that are acces in the last 24 hours in the current folder"), {
			op: "find_files",
			path: ".",
			name: "*.html",
			accessed_within_days: 1,
		});
		assert.equal(asksToAct("find all the html files that are acces in the last 24 hours in the current folder and delete them"), true);
	});
});

describe("router/find: round 40 classes (from blind59's first-run misses; in-sample for blind59 since)", () => {
	it("keeps the files named X when folders named X are not descended into (10024's call had returned nothing)", () => {
		assert.deepEqual(findRequest("Find all files named 'foo' under current directory tree without descending into directories named 'foo'"), {
			op: "find_files",
			path: ".",
			exclude: ["**/foo/**"],
			name: "foo",
		});
		// Files and folders: find -prune does not print the folders, and find_files would list them.
		assert.equal(findRequest("Find files/directories named 'foo' under current directory tree without descending into directories named 'foo'"), null);
		// Another folder name is left out whole, as before.
		assert.deepEqual(findRequest('Find all files named "filename" in the current directory tree, not descending into "FOLDER1" directories'), {
			op: "find_files",
			path: ".",
			exclude: ["FOLDER1"],
			name: "filename",
		});
	});

	it("reads 'from 2 to 6 minutes ago' as a span (10864) and mends 'accssed' and 'exluding' (10876)", () => {
		assert.deepEqual(findRequest("list files in /u/bill that were last read from 2 to 6 minutes ago"), {
			op: "find_files",
			path: "/u/bill",
			accessed_before_days: 2 / 1440,
			accessed_within_days: 6 / 1440,
		});
		assert.equal(
			mendTypos("which have been accssed in the last 500 days exluding hidden files"),
			"which have been accessed in the last 500 days excluding hidden files",
		);
		assert.deepEqual(
			findRequest("display the list of all the files in the current directory which have been accssed in the last 500 days exluding hidden files"),
			{
				op: "find_files",
				path: ".",
				exclude: [".*"],
				accessed_within_days: 500,
			},
		);
	});
});

describe("router/find: round 41 classes (from blind60's first-run misses; in-sample for blind60 since)", () => {
	it("reads 'and sort them' ending the request as the names sorted (9226, 10066; 7432, 8507 labeled true)", () => {
		assert.equal(asksToAct("find all the jpg files in current folder and sort them"), false);
		assert.deepEqual(findRequest("find all the jpg files in current folder and sort them"), { op: "find_files", path: ".", name: "*.jpg" });
		assert.deepEqual(findRequest("Find all files under ./lib/app and sort them"), { op: "find_files", path: "./lib/app" });
		// Reversed, by a key, or with more to do after it: an act, not answered (training 5718, 10777).
		assert.equal(asksToAct("Find all build* directories under current directory and reverse sort them"), true);
		assert.equal(findRequest("Find all build* directories under current directory and reverse sort them"), null);
		assert.equal(asksToAct("Find all files under ./lib/app and sort them, then print their contents to myFile"), true);
		assert.equal(findRequest("Find all files under ./lib/app and sort them by size"), null);
	});
});

describe("router/find: round 42 classes (from blind61's first-run misses; in-sample for blind61 since)", () => {
	it("reads owners 'nonexistent' as no user or group entry (11088; blind55's 9083)", () => {
		assert.deepEqual(findRequest("Find files owned by nonexistent groups"), { op: "find_files", path: ".", unowned: "group" });
		assert.deepEqual(findRequest("Find files owned by nonexistent users"), { op: "find_files", path: ".", unowned: "user" });
		assert.deepEqual(findRequest("Find files owned by a non-existent user"), { op: "find_files", path: ".", unowned: "user" });
		// Acting on them is still an act.
		assert.equal(findRequest("Find files owned by nonexistent groups and delete them"), null);
	});
});

describe("router/find: Round 43 (in-sample): or between conditions", () => {
	it("reads alternatives of one condition the tool says exactly (blind11 1859, blind20 2038, blind46 8094, blind57 10532, blind59 10084, blind60 8926, blind61 11030)", () => {
		assert.deepEqual(findRequest("recursively look for files ending in either .py or .py.server"), {
			op: "find_files",
			path: ".",
			name: "*{.py,.py.server}",
		});
		assert.deepEqual(findRequest("Find files on the system whose names begin with either x or X"), { op: "find_files", path: "/", name: "{x,X}*" });
		assert.deepEqual(findRequest("find all files whose names end with c or h"), { op: "find_files", path: ".", name: "*{c,h}" });
		assert.deepEqual(findRequest("find all files in the current directory whose size is 24 or 25 bytes."), {
			op: "find_files",
			path: ".",
			min_bytes: 24,
			max_bytes: 25,
		});
		assert.deepEqual(findRequest("find all the files in the current folder which have the name net or comm in them"), {
			op: "find_files",
			path: ".",
			name: "*{net,comm}*",
		});
		assert.deepEqual(findRequest("display all the regular files in the file system which have set uid bit or set gid bit enabled"), {
			op: "find_files",
			path: "/",
			permissions_any: "6000",
		});
		assert.deepEqual(findRequest("find all class files or sh script files  in the current folder"), { op: "find_files", path: ".", name: "*.{class,sh}" });
	});
	it("refuses an or joining different conditions, or alternatives no one argument says", () => {
		// Different kinds of condition: find \( A -o B \), routed since round 46 (find_files' any_of), see "Round 46"; two kinds in
		// each alternative ("txt files older than 5 days or html files") are still refused.
		assert.equal(findRequest("list txt files older than 5 days or html files of any age"), null);
		assert.equal(findRequest("find all files whose names begin with x or modified today"), null);
		// Two owners: routed since round 44 (find_files' owners), see "Round 44"; an owner or a group is still two kinds.
		assert.equal(findRequest("find files owned by user bob or by group staff"), null);
		// Sizes not one byte apart, or in units that round to blocks: no span says them.
		assert.equal(findRequest("find all files in the current directory whose size is 24 or 26 bytes"), null);
		assert.equal(findRequest("find all files in the current directory whose size is 24 or 25 kb"), null);
		// "the word ... in them" is the files' text, not their names.
		assert.notDeepEqual(findRequest("find all the files in the current folder which have the word net or comm in them"), {
			op: "find_files",
			path: ".",
			name: "*{net,comm}*",
		});
	});
});

describe("router/find: Round 44 (in-sample): which file name, lists without commas, two owners", () => {
	it('reads "which file name end with" as the names\' ends, and quoted items listed with spaces before a last "or" (blind13 3435, blind23 3746)', () => {
		assert.deepEqual(findRequest("list regular file which file name end with 'cache' 'xml' or 'html' in current directory"), {
			op: "find_files",
			path: ".",
			name: "*{cache,xml,html}",
		});
		assert.deepEqual(findRequest("list regular file which file name end with '*.c' or '*.sh' in current directory"), {
			op: "find_files",
			path: ".",
			name: "*{*.c,*.sh}",
		});
		assert.deepEqual(findRequest("find files whose name ends with 'a' 'b' or 'c' and is larger than 1MB"), {
			op: "find_files",
			path: ".",
			name: "*{a,b,c}",
			min_bytes: 1048576,
		});
	});
	it('reads two users joined by "or" as find_files\' owners (blind62 11013)', () => {
		assert.deepEqual(findRequest("Search for the files that are owned by user rooter or by user www-data"), {
			op: "find_files",
			path: ".",
			owners: ["rooter", "www-data"],
		});
		assert.deepEqual(findRequest("find files owned by user bob or user alice in /tmp"), { op: "find_files", path: "/tmp", owners: ["bob", "alice"] });
	});
	it('refuses an owner joined by "or" to another kind of condition, three owners, or a negated pair', () => {
		assert.equal(findRequest("find files owned by user bob or modified today"), null);
		assert.equal(findRequest("find files owned by user bob or by group staff"), null);
		assert.equal(findRequest("find files owned by user bob or user alice or user carol"), null);
		// "not owned by A or by B" is ambiguous (neither, or not both): left to the LLM.
		assert.equal(findRequest("find files not owned by user bob or by user alice"), null);
	});
	it('refuses lists that do not end in "or", and negated ends', () => {
		// Without the last "or" (or with "and") the items are not said to be alternatives.
		assert.equal(findRequest("find files whose name ends with 'a' 'b'"), null);
		assert.equal(findRequest("find files whose name ends with 'a' 'b' and 'c'"), null);
		// 4918 and 10880 (find ! -name) are routed since round 45 (find_files' not_names), see "Round 45".
	});
});

describe("router/find: Round 45 (in-sample): negated names", () => {
	it("reads endings said negated as find_files' not_names (find ! -name), folders still walked", () => {
		assert.deepEqual(findRequest("Find recursively all regular files in the current directory tree not ending in .dll or .exe"), {
			op: "find_files",
			path: ".",
			not_names: ["*.dll", "*.exe"],
		});
		assert.deepEqual(findRequest("list regular file which file name is NOT end with '.html' in current directory in current directory"), {
			op: "find_files",
			path: ".",
			not_names: ["*.html"],
		});
		assert.deepEqual(findRequest('find all files not ending in ".html"'), { op: "find_files", path: ".", not_names: ["*.html"] });
		assert.deepEqual(findRequest('Search /usr/src for filenames not ending in "*,v"'), { op: "find_files", path: "/usr/src", not_names: ["*,v"] });
		// "whose names are not ending with": the ending, not a name "ending" (NOT_THE_NAME read it so before).
		assert.deepEqual(findRequest("find files whose names are not ending with '.c'"), { op: "find_files", path: ".", not_names: ["*.c"] });
		assert.deepEqual(findRequest("find files not ending in .dll and larger than 1MB"), {
			op: "find_files",
			path: ".",
			not_names: ["*.dll"],
			min_bytes: 1048576,
		});
	});
	it("leaves the wordings routed before as they were", () => {
		// "do not end in" and "excluding those ending with" are not_names too since round 53 (exclude before); "not named" stays a
		// negated name regex.
		assert.deepEqual(findRequest("find all files whose names do not end in '.dll'"), { op: "find_files", path: ".", not_names: ["*.dll"] });
		assert.deepEqual(findRequest('Find all the files that are not named "MyCProgram.c" in the current directory only and without regards to case.'), {
			op: "find_files",
			path: ".",
			ignore_case: true,
			name_regex: "(?!(?:MyCProgram\\.c)$).*",
			max_depth: 1,
		});
	});
	it("refuses what it cannot read exactly", () => {
		// A bare word that is no ending, or "or" joining another kind of condition.
		assert.equal(findRequest("find files not ending in html"), null);
		assert.equal(findRequest("find files not ending in .dll or exe"), null);
		assert.equal(findRequest("find files not ending in .dll or larger than 1MB"), null);
		// One ending inside another: "neither" and "not both" differ.
		assert.equal(findRequest("find files not ending in .gz or .tar.gz"), null);
		// A negated start is not an ending.
		assert.equal(findRequest("find files which file name is not begin with 'a'"), null);
	});
});

describe("router/find: Round 46 (in-sample): two conditions of different kinds joined by or (find_files' any_of)", () => {
	it("reads each side of the or as one alternative, the rest of the request shared (blind60 9106, blind55 9119, blind41 5086)", () => {
		assert.deepEqual(
			findRequest("Find all files/directories that are newer than 'ttt' by modification time or owned by the user 'wnj' in the entire filesystem"),
			{ op: "find_files", path: "/", type: "any", any_of: [{ newer_than: "ttt" }, { owner: "wnj" }] },
		);
		assert.deepEqual(findRequest("Show a long listing of files not modified in over 20 days or not accessed in over 40 days"), {
			op: "find_files",
			path: ".",
			any_of: [{ modified_before_days: 20 }, { accessed_before_days: 40 }],
		});
		assert.deepEqual(findRequest("find all files in the current folder which have not been accessed in the last 7 days or which are bigger than 20KB"), {
			op: "find_files",
			path: ".",
			any_of: [{ accessed_before_days: 7 }, { min_bytes: 20480 }],
		});
		assert.deepEqual(findRequest("Find files modified in the last day or larger than 1MB"), {
			op: "find_files",
			path: ".",
			any_of: [{ modified_within_days: 1 }, { min_bytes: 1048576 }],
		});
		assert.deepEqual(findRequest("find files either owned by user bob or modified in the last 2 days"), {
			op: "find_files",
			path: ".",
			any_of: [{ owner: "bob" }, { modified_within_days: 2 }],
		});
		// Both sides negated, each its own "not" (find ! -user wnj -o ! -newer ttt; 3787).
		assert.deepEqual(findRequest("Show the list of files that are not owned by user wnj or are not newer than file `ttt'"), {
			op: "find_files",
			path: ".",
			any_of: [{ not_owner: "wnj" }, { older_than: "ttt" }],
		});
	});
	it("reads two times sharing one span, each with its own verb (blind50 9729)", () => {
		assert.deepEqual(
			findRequest(
				"List all files/directories under /data1/Marcel which are greater than 524288 bytes and were modified or accessed more than 1 year ago",
			),
			{ op: "find_files", path: "/data1/Marcel", type: "any", min_bytes: 524288, any_of: [{ modified_before_days: 365 }, { accessed_before_days: 365 }] },
		);
	});
	it("refuses an or whose second side borrows the first's words, a not that may reach both, more than one or, or an act", () => {
		// "newer than the file a.txt or the file b.txt" is newer than either file, not a file named b.txt.
		assert.equal(findRequest("find files newer than the file a.txt or the file b.txt"), null);
		assert.equal(findRequest("find files not modified in 20 days or larger than 1MB"), null);
		assert.equal(findRequest("find files not modified or accessed in the last 7 days"), null);
		assert.equal(findRequest("find files modified today or accessed today or larger than 1MB"), null);
		assert.equal(findRequest("find files older than 7 days or larger than 1GB and delete them"), null);
		assert.equal(findRequest("count files larger than 1MB or older than 3 days"), null);
		// Different folders are not conditions an alternative holds.
		assert.equal(findRequest("find files in /tmp or /var older than 3 days"), null);
		assert.equal(findRequest('search for "foo" in files larger than 1MB or older than 3 days'), null);
	});
});

describe("router/find: Round 47 (in-sample): a file system's type, and the current partition or device", () => {
	it("reads a type of file system as find_files' fs_types, from the root when no place is said (9091, 2728, 11247, 847)", () => {
		assert.deepEqual(findRequest('Find all files whose names do not begin with "zsh" on ext3 file systems'), {
			op: "find_files",
			path: "/",
			name_regex: "(?!(?:zsh.*)$).*",
			fs_types: ["ext3"],
		});
		assert.deepEqual(findRequest("Find files/directories named 'document' in 'ext2' partitions in entire filesystem"), {
			op: "find_files",
			path: "/",
			name: "document",
			fs_types: ["ext2"],
			type: "any",
		});
		assert.deepEqual(findRequest("display all the files in the file system which are present in nfs system"), {
			op: "find_files",
			path: "/",
			fs_types: ["nfs"],
		});
		assert.deepEqual(findRequest("Recursively list all files on smbfs mounts"), { op: "find_files", path: "/", fs_types: ["smbfs"] });
		assert.deepEqual(findRequest("find files in the current directory on ext4 file systems"), { op: "find_files", path: ".", fs_types: ["ext4"] });
		assert.deepEqual(findRequest("find all *.txt files on vfat or ntfs file systems"), {
			op: "find_files",
			path: "/",
			name: "*.txt",
			fs_types: ["vfat", "ntfs"],
		});
	});
	it("reads the current partition or device, and the root's partition when the whole file system is searched, as find -xdev (2107, 9202, 3765)", () => {
		assert.deepEqual(findRequest("find all the log files in the file system which are present in the current partition"), {
			op: "find_files",
			path: "/",
			name: "*.log",
			one_file_system: true,
		});
		assert.deepEqual(findRequest('find all the files in the current directory with the name "wagoneer" which are in the current device.'), {
			op: "find_files",
			path: ".",
			name: "wagoneer",
			one_file_system: true,
		});
		assert.deepEqual(findRequest("find all the text files in the file system and search only in the disk partition of the root."), {
			op: "find_files",
			path: "/",
			name: "*.txt",
			one_file_system: true,
		});
	});
	it("refuses a type said as where to search only, and the root's partition from another folder", () => {
		// Labeled true in blind2 (736) and false in training (9097): not read.
		assert.equal(
			findRequest("display a list of all the files in the file system which do not belong to any user and search only in jfs and jfs2 file systems"),
			null,
		);
		// find /tmp -xdev stays on /tmp's file system, which need not be the root's.
		assert.equal(findRequest("find all foo.bar files in /tmp which are present in the same partition as root."), null);
		// A type no one mounts is no type: read as words, so left unexplained.
		assert.equal(findRequest("find all files on banana file systems"), null);
	});
});

describe("router/find: Round 48 (in-sample): symbolic links by where they point (find_files' link_target, find -lname)", () => {
	it("reads a target pattern after pointing to, matching, whose contents match, or whose pathnames end in or contain (7815, 5748, 4977, 1666, 7340, 11035)", () => {
		assert.deepEqual(findRequest("Find find symlinks pointing to /mnt/oldname* in the entire file system"), {
			op: "find_files",
			path: "/",
			type: "symlink",
			link_target: "/mnt/oldname*",
		});
		assert.deepEqual(findRequest("Search the current directory tree for symbolic links to files matching pattern '*test*'"), {
			op: "find_files",
			path: ".",
			type: "symlink",
			link_target: "*test*",
		});
		assert.deepEqual(findRequest('Search the current directory tree for symlinks whose contents match pattern "*sysdep.c"'), {
			op: "find_files",
			path: ".",
			type: "symlink",
			link_target: "*sysdep.c",
		});
		assert.deepEqual(findRequest('Find symbolic links in /usr/sbin and /usr/bin to files whose pathnames end in "*/systemctl"'), {
			op: "find_files",
			path: "/usr/sbin",
			paths: ["/usr/bin"],
			type: "symlink",
			link_target: "*/systemctl",
		});
		assert.deepEqual(findRequest('Find symbolic links in /usr/lib and /usr/lib64 to files whose pathnames contain "libstdc++"'), {
			op: "find_files",
			path: "/usr/lib",
			paths: ["/usr/lib64"],
			type: "symlink",
			link_target: "*libstdc++*",
		});
		assert.deepEqual(findRequest("Search for symlinks pointing to anywhere within /mnt/oldname/"), {
			op: "find_files",
			path: ".",
			type: "symlink",
			link_target: "/mnt/oldname/*",
		});
	});
	it("refuses a target that is no pattern, files that are not links, and an act on the links", () => {
		assert.equal(findRequest("Search the current directory tree for symlinks pointing at other symlinks"), null);
		assert.equal(findRequest("find files pointing to /tmp/x"), null);
		assert.equal(findRequest("find symlinks pointing to /tmp/x and delete them"), null);
		assert.equal(findRequest("find broken symlinks pointing to /tmp/x*"), null);
	});
});

describe("router/find: Round 49 (in-sample): the parts of each entry find_files shows anyway, asked for", () => {
	it("reads sizes, modification timestamps, paths and names asked for as presentation (9184, 9524, 9090, 10409, 332)", () => {
		assert.deepEqual(findRequest("Find all *.txt files under / and print their sizes and paths"), { op: "find_files", path: "/", name: "*.txt" });
		assert.deepEqual(findRequest("Find all *.txt files under current directory and print their timestamps and paths"), {
			op: "find_files",
			path: ".",
			name: "*.txt",
		});
		assert.deepEqual(findRequest("Print the sizes of all files from the current directory tree"), { op: "find_files", path: "." });
		assert.deepEqual(findRequest("Print the file sizes along with their paths for all *.txt files under current directory tree"), {
			op: "find_files",
			path: ".",
			name: "*.txt",
		});
		assert.deepEqual(findRequest("Recursively lists all files in a current folder and prints full path along with modification time."), {
			op: "find_files",
			path: ".",
		});
	});
	it("refuses sizes summed or sorted (access times are shown since round 50)", () => {
		assert.equal(findRequest("Print the total size of all files from the current directory tree"), null);
		assert.equal(findRequest("find all *.txt files and print their sizes and paths sorted by size"), null);
	});
});

describe("router/find: Round 50 (in-sample): access times shown, and access or status change after a file's modification", () => {
	it("reads access timestamps asked beside the names as find_files' show_times (8565, 7841, 5818)", () => {
		assert.deepEqual(findRequest("display all files in the current folder along with their last accessed timestamps"), {
			op: "find_files",
			path: ".",
			show_times: ["accessed"],
		});
		assert.deepEqual(findRequest("find all the configuration files in /etc folder along with the last access & modification time"), {
			op: "find_files",
			path: "/etc",
			name: "*.conf",
			show_times: ["accessed"],
		});
	});
	it("reads accessed or status-changed after a file was modified as find -anewer, -cnewer (7926, 10115, 10169)", () => {
		assert.deepEqual(
			findRequest("find all the files in the current directory and sub-directories whose status was changed after /etc/fstab was modified"),
			{
				op: "find_files",
				path: ".",
				changed_after: "/etc/fstab",
			},
		);
		assert.deepEqual(findRequest("find all the files which have been accessed after modifying the file /etc/hosts"), {
			op: "find_files",
			path: ".",
			accessed_after: "/etc/hosts",
		});
		// "changed" alone is modified, as everywhere in the cover.
		assert.deepEqual(findRequest("find all the files which have been changed after modifying the file /etc/hosts"), {
			op: "find_files",
			path: ".",
			newer_than: "/etc/hosts",
		});
	});
	it("refuses a placeholder for the file, an act on the files, and access times sorted", () => {
		assert.equal(findRequest("find all the files which have been changed after the modification of a file."), null);
		assert.equal(findRequest("find files accessed after modifying /tmp/x and delete them"), null);
		assert.equal(findRequest("display all files in the current folder sorted by their last accessed timestamps"), null);
	});
});

describe("router/find: Round 51 (in-sample): a special bit said with an exact mode is one mode", () => {
	it("reads the sticky, SGID or SUID bit with a three-digit mode as the four-digit mode (find -perm 1551; 8447, 9232, 2572)", () => {
		assert.deepEqual(findRequest("Find all the Sticky Bit set files whose permission are 551 in the file system"), {
			op: "find_files",
			path: "/",
			permissions: "1551",
		});
		assert.deepEqual(findRequest("Find all the SGID bit files whose permissions set to 644"), { op: "find_files", path: ".", permissions: "2644" });
		assert.deepEqual(findRequest("search for all the files in the folder /home which have sticky bit set and have the permissions 553"), {
			op: "find_files",
			path: "/home",
			permissions: "1553",
		});
	});
	it("refuses two special bits with a mode, and a special bit with a four-digit mode", () => {
		assert.equal(findRequest("find setuid or setgid files with permission 755"), null);
		assert.equal(findRequest("find SUID files with permissions 2755"), null);
	});
});

describe("router/find: Round 52 (in-sample): a note on the shell command (print0, the plus of -exec) asks nothing", () => {
	it("reads a bracketed or last-sentence note on print0 or on the plus as no condition (10251, 5782, 10823, 10669)", () => {
		assert.deepEqual(
			findRequest(
				"display the html, javascript and text files in the current folder (print0 is used to preserve the filenames of all the files which have newlines in their names)",
			),
			{ op: "find_files", path: ".", name: "*.{html,js,txt}" },
		);
		assert.deepEqual(
			findRequest(
				"display a long listing of all the files in the /var folder which are bigger than 10MB. print0 is used to handle the files which have new lines in their names",
			),
			{ op: "find_files", path: "/var", min_bytes: 10485760 },
		);
		assert.deepEqual(findRequest("display a long list of all the jpg files in the home folder(plus at the end is used to give bulk data as input)"), {
			op: "find_files",
			path: "~",
			name: "*.jpg",
		});
	});
	it("still refuses what the rest of the request asks beyond the list", () => {
		assert.equal(
			findRequest(
				"display all the statistics of the files in the current folder and discard the errors. ( + symbol at the end is used to give stat bulk input than a single file )",
			),
			null,
		);
		assert.equal(findRequest("find all the jpg files and delete them (plus at the end is used to give bulk data as input)"), null);
	});
});

describe("router/find: Round 53 (in-sample): older negated endings as not_names, and not_names kept by a text search", () => {
	it("reads do not end in, excluding those ending with, and no such extension as names left out (find ! -name)", () => {
		assert.deepEqual(findRequest('Search the current directory tree for files whose names do not end in ".exe" and ".dll"'), {
			op: "find_files",
			path: ".",
			not_names: ["*.exe", "*.dll"],
		});
		assert.deepEqual(findRequest('display all files in the folder /usr/src excluding those ending with ",v"'), {
			op: "find_files",
			path: "/usr/src",
			not_names: ["*,v"],
		});
	});
	it("searches the text of the files left after the names left out, never every file (round 45's reading had dropped them)", () => {
		assert.deepEqual(findRequest('search for "foo" in all files not ending in ".c"'), {
			op: "find_files",
			path: ".",
			not_names: ["*.c"],
			contains: "foo",
		});
		assert.deepEqual(findRequest('search for "foo" in all files whose names do not end in ".c"'), {
			op: "find_files",
			path: ".",
			not_names: ["*.c"],
			contains: "foo",
		});
	});
});

describe("router/find: Round 54 (in-sample): devices, sockets and named pipes; spaces inside a quoted name", () => {
	it("reads character or block devices, sockets and named pipes as their own type (find -type c, b, s, p; 4030, 342, 8849)", () => {
		assert.deepEqual(findRequest("Find all of the character devices on the system"), { op: "find_files", path: "/", type: "char_device" });
		assert.deepEqual(findRequest("Find all socket files in the current directory and its sub-directories."), {
			op: "find_files",
			path: ".",
			type: "socket",
		});
		assert.deepEqual(findRequest("find named pipes in /tmp"), { op: "find_files", path: "/tmp", type: "fifo" });
		// "called ' backup '": the spaces inside the quotes are typing, not the name.
		assert.deepEqual(findRequest("search  character special files called ' backup '  from  /usr directory downwards and print them ."), {
			op: "find_files",
			path: "/usr",
			name: "backup",
			type: "char_device",
		});
	});
	it("refuses two kinds at once and text searched in a device", () => {
		assert.equal(findRequest("find sockets and directories in /tmp"), null);
		assert.equal(findRequest("find block devices and character devices in /dev"), null);
		assert.equal(findRequest('search for "x" in all socket files'), null);
	});
});

describe("router/find: Round 55 (in-sample): modified later than the file", () => {
	it("reads 'modified later than the ttt file' as newer than ttt, alone or as one side of an or (blind60 10102)", () => {
		assert.deepEqual(findRequest("List all files in entire file system that modified later than the ttt file"), {
			op: "find_files",
			path: "/",
			newer_than: "ttt",
		});
		assert.deepEqual(findRequest("List all files in entire file system that belong to the user wnj or modified later than the ttt file"), {
			op: "find_files",
			path: "/",
			any_of: [{ owner: "wnj" }, { newer_than: "ttt" }],
		});
		// "later than a file" names no file.
		assert.equal(findRequest("List all files modified later than the a file"), null);
	});
});

describe("router/find: Round 56 (in-sample): regular files said after the endings", () => {
	it("reads '.c or .sh regular files' as those endings, files being the default kind (blind63 11050)", () => {
		assert.deepEqual(findRequest("list all .c or .sh regular files."), { op: "find_files", path: ".", name: "*.{c,sh}" });
		assert.deepEqual(findRequest("list all .c regular files in /tmp"), { op: "find_files", path: "/tmp", name: "*.c" });
		assert.equal(findRequest("find all the .txt normal files and delete them"), null);
	});
});

describe("router/find: the MAY_ASK_TO_FIND shortcut", () => {
	it("answers every request of the training and holdout sets as the full rewrites do, and skips the text of no find task", () => {
		const root = join(__dirname, "../../../../data");
		const requests = ["train", "holdout"].flatMap(dir =>
			readdirSync(join(root, dir))
				.filter(f => f.endsWith(".jsonl"))
				.flatMap(f => readFileSync(join(root, dir, f), "utf8").split("\n"))
				.filter(line => line.trim())
				.map(line => (JSON.parse(line) as { request?: unknown }).request)
				.filter((r): r is string => typeof r === "string"),
		);
		assert.ok(requests.length > 10_000, `${requests.length} requests read`);
		let routed = 0;
		let skipped = 0;
		for (const request of requests) {
			// A text the shortcut lets through takes the full path: only its nulls can differ.
			if (findRequest(request)) routed++;
			else assert.equal(findRequest(request, false), null, request);
			if (!MAY_ASK_TO_FIND.test(mendTypos(` ${request.trim()} `))) skipped++;
		}
		// Thousands of find tasks still answered, thousands of texts skipped and checked.
		assert.ok(routed > 2_000 && skipped > 2_000, `${routed} routed, ${skipped} skipped`);
		assert.equal(MAY_ASK_TO_FIND.test(mendTypos(" Explain the difference between TCP and UDP in two sentences ")), false);
	});
});
