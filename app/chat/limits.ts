// Sizes shared by the chat composer (instant feedback) and the server (which enforces them).
export const CHAT_MESSAGE_MAX = 4_000;
export const ROOM_NAME_MAX = 60;
export const ROOM_DESCRIPTION_MAX = 300;
export const SLOW_MODE_MAX_SECONDS = 3_600;
export const MUTE_MAX_MINUTES = 60 * 24 * 30;
/** Messages per page of history, and per "load earlier". */
export const HISTORY_PAGE = 50;
/** Messages per page of a day's transcript (a busy day spans several pages). */
export const TRANSCRIPT_PAGE = 500;
/** Consecutive messages by one author within this gap share one header. */
export const GROUP_GAP_MS = 5 * 60 * 1000;
/** Messages one promotion may quote. */
export const PROMOTE_MAX_MESSAGES = 100;
