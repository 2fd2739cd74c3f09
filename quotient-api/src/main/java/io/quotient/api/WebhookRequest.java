package io.quotient.api;

import java.util.List;

/**
 * The body of {@code POST /v1/webhooks}.
 *
 * @param url where messages are posted: http or https; loopback, private and link-local addresses
 *     are refused unless the server allows them
 * @param format {@code standard} (Standard Webhooks), {@code slack} or {@code discord}
 * @param types the message types to send (at least one), such as {@code alert.triggered}
 */
public record WebhookRequest(String url, String format, List<String> types) {}
