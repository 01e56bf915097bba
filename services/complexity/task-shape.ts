/**
 * Task shape: what makes one question harder than another of the same kind, which the
 * prompt's overall shape (representation.ts) blurs. A multiple-choice prompt is split into
 * its question and its options ("A) ...", "B. ...", "(c) ..."), a trailing "Answer:" line is
 * dropped, and the question is measured on its own: its length in words (longer word problems
 * carry more quantities and steps), how many quantities and sentences it holds, how many
 * options there are and how long they are, and whether it is a fill-in-the-blank. Pure and
 * cheap: one split over the (clipped) text and a few regular expressions.
 */
import { clip } from "../../lib/nlp/text";

/** Names of the task-shape values, in the order taskShape returns them. */
export const TASK_SHAPE_NAMES = ["log_question_words", "options", "log_option_words", "log_quantities", "log_question_sentences", "blank"] as const;

const OPTION = /^\s*(?:\(([A-Ha-h])\)|([A-Ha-h])[.)])\s+\S/;
const ANSWER_LINE = /^\s*answer\s*:?\s*$/i;

export interface QuestionParts {
	question: string;
	options: string[];
}

/**
 * The question and its answer options. Option lines count only as a run that starts at "A"
 * (or "a") with at least two of them, so a sentence that happens to begin "B. Smith" is not
 * taken for an option.
 */
export function splitQuestion(text: string): QuestionParts {
	const lines = text.split("\n").filter(l => !ANSWER_LINE.test(l));
	const letters = lines.map(l => {
		const m = OPTION.exec(l);
		return m ? (m[1] ?? m[2]).toLowerCase() : "";
	});
	const first = letters.indexOf("a");
	const optionLines = first >= 0 ? lines.filter((_, i) => i >= first && letters[i]) : [];
	if (optionLines.length < 2) return { question: lines.join("\n").trim(), options: [] };
	return {
		question: lines
			.filter((_, i) => !(i >= first && letters[i]))
			.join("\n")
			.trim(),
		options: optionLines.map(l => l.replace(OPTION, m => m.slice(-1)).trim()),
	};
}

export interface TaskShape {
	/** Values roughly in [0, 1], in TASK_SHAPE_NAMES order. */
	values: number[];
	/** Words in the question without its options: the length the blend with length uses. */
	questionWords: number;
}

const words = (s: string) => (s.match(/\S+/g) ?? []).length;
const log = (x: number, cap: number) => Math.min(1, Math.log1p(x) / Math.log1p(cap));

export function taskShape(text: string): TaskShape {
	// Long pastes saturate every value here; reading more only costs time.
	const { question, options } = splitQuestion(clip(text ?? "", 16000, 4000));
	const questionWords = words(question);
	const optionWords = options.length ? options.reduce((s, o) => s + words(o), 0) / options.length : 0;
	return {
		values: [
			log(questionWords, 300),
			Math.min(1, options.length / 8),
			log(optionWords, 50),
			log((question.match(/\d+(?:[.,]\d+)*/g) ?? []).length, 20),
			log((question.match(/[.!?](?:\s|$)/g) ?? []).length, 30),
			/(^|\s)_+(\s|[.,]|$)/.test(question) ? 1 : 0,
		],
		questionWords,
	};
}

/** The length the ranking blends in: log(1 + words of the question without its options). */
export const questionLength = (shape: TaskShape) => Math.log1p(shape.questionWords);
