package io.quotient.api;

/**
 * The body of {@code POST /v1/transfers}: moves units of one metric from one subject to another.
 *
 * @param from the giving subject
 * @param to the receiving subject
 * @param metric the metric, in both subjects' plans
 * @param amount units, 1 to 2^53
 */
public record TransferRequest(String from, String to, String metric, long amount) {}
