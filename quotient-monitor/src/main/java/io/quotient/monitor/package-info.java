/**
 * The monitor: follows the engine's feed and turns it into alerts (and, built on the same
 * projections, webhooks and signals). {@link io.quotient.monitor.Monitor} starts and stops it.
 * Knows nothing of HTTP: the server serves what it keeps.
 */
package io.quotient.monitor;
