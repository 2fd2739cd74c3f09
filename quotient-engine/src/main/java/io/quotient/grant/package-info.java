/**
 * Grants: bonus units of one metric for one subject, used only after the plan's allowance of the
 * current window is used up, earliest expiry first, until used up or expired.
 */
package io.quotient.grant;
