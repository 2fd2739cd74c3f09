/**
 * Exactly-once consumers of the feed. A {@link io.quotient.monitor.projection.Projection} is a
 * named {@link io.quotient.monitor.projection.Handler}; the {@link io.quotient.monitor.projection.Projector}
 * keeps each one's cursor in a row of {@code monitor_projections} and hands it the feed a
 * {@link io.quotient.monitor.projection.Batch} at a time, in one transaction with the cursor's move,
 * the row claimed with {@code FOR UPDATE SKIP LOCKED} so that several instances never both handle
 * an event. Woken by the engine's commits, with a poll for other instances' commits.
 */
package io.quotient.monitor.projection;
