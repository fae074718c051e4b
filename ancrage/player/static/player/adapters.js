// Tracking adapters: the one seam between the player and its host (docs/player.md).
// The player calls these methods and knows nothing else of where it runs; each host
// (web, SCORM 1.2/2004, cmi5, LTI, Teams) provides a sibling module implementing them.

/**
 * @typedef {{type: "quiz", correct: boolean, score: number, feedback: {choice: number, text: string}[], explanation?: string}
 *   | {type: "scenario", score: number, best: boolean, consequence: string}
 *   | {type: "text", saved: boolean}} Outcome
 *
 * @typedef {{choices: number[]} | {choice: number} | {text: string}} Response
 *
 * @typedef {Object} TrackingAdapter
 * @property {(card: string) => void} started            the player opened (once per page)
 * @property {(card: string) => void} cardViewed         a card is on screen
 * @property {(card: string, response: Response) => Promise<Outcome|null>} answered
 *   an answer; resolves to the feedback, or null when it can only be checked later (offline)
 * @property {(module: string) => void} moduleCompleted  hosts that score locally report it
 * @property {(scaled: number) => void} score            the path score (0..1), same
 * @property {() => void} pathCompleted                  same
 * @property {(card: string, data: Object) => void} suspend  leaving: save where we are
 * @property {(listener: (status: string) => void) => void} onStatus
 *   "synced" | "pending" | "offline": for the player's status line
 */

/** A new event id (also the xAPI statement id). */
export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
