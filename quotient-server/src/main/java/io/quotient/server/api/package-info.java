/**
 * The HTTP API, v1: the routes by resource ({@code ConsumeRoutes}, {@code ReservationRoutes}, …),
 * the strict reading of JSON requests onto engine requests ({@link io.quotient.server.api.Body},
 * {@code Requests}: every refusal names its field), and the mapping of engine answers onto the
 * records of the wire contract in {@code io.quotient.api} ({@code Wire}). A thin adapter: every
 * quota decision is the engine's.
 */
package io.quotient.server.api;
