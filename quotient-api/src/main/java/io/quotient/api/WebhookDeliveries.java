package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/webhooks/{id}/deliveries}.
 *
 * @param deliveries the endpoint's latest deliveries, newest first
 */
public record WebhookDeliveries(List<WebhookDelivery> deliveries) {}
