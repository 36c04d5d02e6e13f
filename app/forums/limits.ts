// Sizes shared by the composer (for instant feedback) and the server (which enforces them).
export const TITLE_MIN = 5;
export const TITLE_MAX = 150;
export const BODY_MAX = 50_000;
export const REASON_MAX = 500;
