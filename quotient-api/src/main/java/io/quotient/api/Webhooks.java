package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/webhooks}.
 *
 * @param webhooks every endpoint, oldest first, without secrets
 */
public record Webhooks(List<Webhook> webhooks) {}
