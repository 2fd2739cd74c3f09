/**
 * Problems: every error the HTTP API answers with, as an RFC 9457 {@code application/problem+json}
 * body ({@link io.quotient.api.Problem}) with a stable {@code type} ({@link
 * io.quotient.api.ProblemType}), a human {@code detail} and the offending {@code field}. One
 * exception mapper turns typed exceptions (the server's own and the engine's) into these bodies.
 */
package io.quotient.server.problem;
