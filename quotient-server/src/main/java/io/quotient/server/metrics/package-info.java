/**
 * Metrics: the server's Micrometer registry, scraped by Prometheus at {@code GET /metrics}:
 * requests by route and status, decisions by outcome, batch sizes and decision (commit) time.
 */
package io.quotient.server.metrics;
