export { compact, conversationTokens, lossless } from "./compact";
export { compactOffloaded } from "./offload";
export { COMPACTION_LEVELS, type CompactableMessage, type CompactionLevel, type CompactionOptions, type CompactionResult } from "./types";
