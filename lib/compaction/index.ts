export { compact, conversationTokens, lossless } from "./compact";
export { COMPACTION_LEVELS, type CompactableMessage, type CompactionLevel, type CompactionOptions, type CompactionResult } from "./types";
