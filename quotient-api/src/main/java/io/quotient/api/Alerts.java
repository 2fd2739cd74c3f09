package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/alerts}.
 *
 * @param alerts the alerts, newest first
 */
public record Alerts(List<Alert> alerts) {}
