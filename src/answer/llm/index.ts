/**
 * The optional LLM answer path: compose a cited answer with an OpenAI-compatible model through
 * LangChain, verify it against the passages, and fall back to the extractive answer on any
 * failure; plus follow-up rewriting and per-chat memory.
 */
export {
  createLlmComposer,
  NO_ANSWER_PHRASE,
  type AnswerSource,
  type ComposeInput,
  type LlmAnswer,
  type LlmComposer,
  type LlmComposerOptions,
  type RewrittenQuestion,
} from "./composer.js";
export {
  verifyLlmAnswer,
  cleanModelText,
  type DroppedSentence,
  type DropReason,
  type VerifiedAnswer,
  type VerifyOptions,
} from "./verify.js";
export { classifyLlmError, type FallbackReason, type LlmFailure } from "./llm-failure.js";
export { rewriteFollowUp, type FollowUpArchive } from "../follow-up/rewrite.js";
export { analyzeDependence, type Dependence } from "../follow-up/dependence.js";
export {
  createConversationMemory,
  type ConversationMemory,
  type ConversationMemoryOptions,
  type ConversationTurn,
} from "./memory.js";
export {
  loadPrompts,
  formatTodayZh,
  DEFAULT_PROMPTS_DIR,
  type PromptTemplates,
} from "./prompts.js";
export { formatPassageBlock, isInstructionLike, neutralizeDelimiters } from "./passage-block.js";
export { extractQuantities } from "./numbers.js";
