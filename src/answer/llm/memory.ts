/** One question and answer of a chat, kept so that a follow-up can be read in context. */
export interface ConversationTurn {
  /** The standalone question (after any follow-up rewrite), so that chains of follow-ups work. */
  question: string;
  /** The answer text sent, shortened; absent when none was sent. */
  answer?: string;
  /** The articles the answer cited, in citation order; absent when it cited none. */
  articleIds?: string[];
  /** When the turn was remembered, in epoch milliseconds. */
  atMs: number;
}

/** Options of the conversation memory. */
export interface ConversationMemoryOptions {
  /** Turns kept per chat, newest last. Defaults to 3. */
  maxTurns?: number;
  /** A turn older than this is forgotten. Defaults to 30 minutes. */
  ttlMs?: number;
  /** Chats kept at most; the least recently used is forgotten first. Defaults to 1000. */
  maxChats?: number;
  /** Characters of an answer kept. Defaults to 300. */
  maxAnswerChars?: number;
  /** Clock in epoch milliseconds. Defaults to Date.now. */
  now?: () => number;
}

/** Recent turns per chat, bounded in chats and turns, expiring with time. */
export interface ConversationMemory {
  /** The chat's turns that have not expired, oldest first. */
  history(chatId: string | number): ConversationTurn[];
  /** Appends a turn to the chat, dropping its oldest turn and the least recently used chat when full. */
  remember(
    chatId: string | number,
    turn: { question: string; answer?: string; articleIds?: readonly string[] },
  ): void;
  /** Forgets everything about the chat (e.g. on /start or "换个话题"). */
  forget(chatId: string | number): void;
  /** Chats currently held. */
  readonly size: number;
}

/** Cited articles kept per turn: enough to find what the turn was about. */
const MAX_ARTICLE_IDS = 3;

/** Validates a positive integer option; throws naming the option when it is not one. */
function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`createConversationMemory: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Creates a per-chat memory of recent turns. Throws when an option is not a positive integer. */
export function createConversationMemory(
  options: ConversationMemoryOptions = {},
): ConversationMemory {
  const maxTurns = positiveInteger("maxTurns", options.maxTurns ?? 3);
  const ttlMs = positiveInteger("ttlMs", options.ttlMs ?? 30 * 60_000);
  const maxChats = positiveInteger("maxChats", options.maxChats ?? 1000);
  const maxAnswerChars = positiveInteger("maxAnswerChars", options.maxAnswerChars ?? 300);
  const now = options.now ?? Date.now;
  // Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const chats = new Map<string, ConversationTurn[]>();

  /** The chat's live turns; drops expired ones and forgets a chat with none left. */
  const live = (key: string): ConversationTurn[] => {
    const turns = chats.get(key);
    if (!turns) return [];
    const cutoff = now() - ttlMs;
    const kept = turns.filter((t) => t.atMs > cutoff);
    chats.delete(key);
    if (kept.length > 0) chats.set(key, kept);
    return kept;
  };

  return {
    history(chatId) {
      return live(String(chatId)).map((t) => ({ ...t }));
    },
    remember(chatId, turn) {
      const key = String(chatId);
      const entry: ConversationTurn = { question: turn.question, atMs: now() };
      if (turn.answer !== undefined)
        entry.answer = Array.from(turn.answer).slice(0, maxAnswerChars).join("");
      if (turn.articleIds !== undefined && turn.articleIds.length > 0) {
        entry.articleIds = [...new Set(turn.articleIds)].slice(0, MAX_ARTICLE_IDS);
      }
      const turns = [...live(key), entry].slice(-maxTurns);
      chats.delete(key);
      chats.set(key, turns);
      while (chats.size > maxChats) {
        const oldest = chats.keys().next();
        if (oldest.done) break;
        chats.delete(oldest.value);
      }
    },
    forget(chatId) {
      chats.delete(String(chatId));
    },
    get size() {
      return chats.size;
    },
  };
}
