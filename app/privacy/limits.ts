// Limits shared by the policy and feedback forms and the server code that checks them.
export const POLICY_BODY_MAX = 100_000;
export const POLICY_SUMMARY_MIN = 10;
export const POLICY_SUMMARY_MAX = 500;
/** How long the home page announces a new version. */
export const POLICY_NOTICE_DAYS = 30;

export const FEEDBACK_MESSAGE_MIN = 10;
export const FEEDBACK_MESSAGE_MAX = 5000;
