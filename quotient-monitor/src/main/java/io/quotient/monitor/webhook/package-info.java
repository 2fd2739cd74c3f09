/**
 * Webhooks: endpoints ({@link io.quotient.monitor.webhook.Webhooks}: create, list, delete, rotate a
 * secret, send a test), the outbox filled from the feed by an exactly-once projection in the same
 * transaction as its cursor, and the delivery workers that send it at least once, in feed order per
 * endpoint, in the Standard Webhooks, Slack or Discord {@link io.quotient.monitor.webhook.Format},
 * with retries, {@code Retry-After}, and endpoints disabled on 410 or after 3 days of failures.
 */
package io.quotient.monitor.webhook;
