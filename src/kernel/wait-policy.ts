// How the action waits, in one place: every interval, grace period and timeout, and why each is
// what it is. The scan's dependencies carry a WaitPolicy (tests set a faster one); the numbers
// below are the defaults a workflow gets.
//
// | what                              | value                  | why                                                                                      |
// | --------------------------------- | ---------------------- | ---------------------------------------------------------------------------------------- |
// | poll a scan's status              | every 2 s, 3 s after   | a finished scan is seen within 3 s; a long wait costs at most one request per 2 s        |
// |                                   | the 15th poll          | per image (the SDK's waiter backs off to 120 s and notices a scan minutes late)           |
// | re-read enhanced findings         | every 3 s              | Inspector adds findings after COMPLETE; two reads 3 s apart that agree mean settled      |
// | believe "no findings" (enhanced)  | after 15 s of it       | ECR answers exactly that before Inspector's findings arrive                              |
// | "no scan exists" after a start    | polled again for 30 s  | ECR may not show a scan it has just accepted, nor an enhanced one it has not begun        |
// | wait-timeout (input)              | 600 s, at most 6 h     | a basic scan takes seconds to minutes; 6 h is the most any job may run                   |
// | connect to ECR                    | 5 s an attempt         | the SDK's default never gives up on a dead connection                                    |
// | one ECR request                   | 10 s an attempt        | ECR answers in well under a second; a stalled attempt is retried like any other failure  |
// | one request to CISA KEV or EPSS   | 10 s an attempt, one   | both answer in about a second; a stalled source costs the step at most 21 s, not a hang   |
// |                                   | retry 1 s later        | (429, 5xx or network error only)                                                         |
// | leave after SIGINT/SIGTERM        | 1.5 s                  | the runner kills the step soon after cancelling it; a lingering socket must not hold it  |

/** The intervals and timeouts of waiting, in milliseconds (see the table above). */
export interface WaitPolicy {
  /** Delay before poll number `attempt` (from 0) of a scan's status. */
  pollDelayMs(attempt: number): number
  /** Enhanced findings are read this far apart while they settle. */
  settleIntervalMs: number
  /** An enhanced scan that reports no findings and no counts is believed after saying so this long. */
  emptySettleMs: number
  /** ScanNotFound right after a start, or on an enhanced registry, is polled again this long. */
  missingScanGraceMs: number
  /** Per attempt of an ECR request: to connect, and for the whole answer. */
  connectionTimeoutMs: number
  requestTimeoutMs: number
}

/** The waiting a workflow gets. */
export const WAIT_POLICY: WaitPolicy = {
  pollDelayMs: (attempt) => (attempt < 15 ? 2000 : 3000),
  settleIntervalMs: 3000,
  emptySettleMs: 15_000,
  missingScanGraceMs: 30_000,
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
}

/** One request to an exploit source (CISA KEV, EPSS): no byte for this long ends the attempt. */
export const EXPLOIT_REQUEST_TIMEOUT_MS = 10_000

/** wait-timeout when the input is not given, in seconds. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600
/** The largest wait-timeout accepted: longer than any job may run (6 h), so 60000 is a typo. */
export const MAX_WAIT_TIMEOUT_SECONDS = 6 * 60 * 60
/** After SIGINT or SIGTERM, the process leaves this long after the abort, whatever lingers. */
export const CANCEL_EXIT_GRACE_MS = 1500
