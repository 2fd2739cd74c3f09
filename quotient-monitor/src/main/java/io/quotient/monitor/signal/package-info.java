/**
 * Abuse and anomaly signals, per subject (and per key and client address for credential abuse):
 * denial bursts, races (many decisions at once, repeated idempotency conflicts), usage spikes
 * against the subject's own hourly baseline, and bursts of 401/403. Each rule's hits make
 * {@link io.quotient.monitor.signal.Episode episodes}, each announced by one {@code abuse.detected}
 * or {@code spike.detected} in the feed; recent episodes make a subject's
 * {@link io.quotient.monitor.signal.Risk risk score}. {@link io.quotient.monitor.signal.Signals} is
 * the entry point; its projection reads the feed, the server reports what never reaches the feed.
 */
package io.quotient.monitor.signal;
