package io.quotient.client;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Stops sending calls to a server that is down, so that a down server costs callers no timeout
 * and no retries per call, and finds out by itself when it is back.
 *
 * <ul>
 *   <li><b>Closed</b> (the server answers): every attempt is sent. {@code threshold} failed attempts
 *       in a row — no connection, a lost answer, a timeout, or an answer that says the server or
 *       its storage is unavailable — open the breaker.
 *   <li><b>Open</b>: no attempt is sent for {@code openFor}; calls fail at once with a
 *       {@link QuotientUnreachableException} whose {@link QuotientUnreachableException#circuitOpen()}
 *       is true.
 *   <li><b>Half-open</b> (after {@code openFor}): the next attempt is sent as a probe while every
 *       other call still fails at once; an answer from the server closes the breaker, a failure
 *       opens it for another {@code openFor}.
 * </ul>
 *
 * <p>Any answer from Quotient counts as the server being up, a problem such as a 422 included:
 * only failures to get an answer open the breaker. Thread-safe (one lock, held for a few field
 * updates).
 */
final class CircuitBreaker {
  /** What an attempt was let through as: the outcome of a probe decides the state alone. */
  enum Pass { CALL, PROBE }

  private final int threshold;
  private final Duration openFor;
  private final InstantSource clock;
  private int failures;
  private Instant openUntil;
  private boolean probing;

  CircuitBreaker(int threshold, Duration openFor, InstantSource clock) {
    this.threshold = threshold;
    this.openFor = openFor;
    this.clock = clock;
  }

  /** Lets an attempt through, as a call or as the probe; null when it must fail at once. */
  synchronized Pass pass() {
    if (openUntil == null) {
      return Pass.CALL;
    }
    if (probing || clock.instant().isBefore(openUntil)) {
      return null;
    }
    probing = true;
    return Pass.PROBE;
  }

  /** The server answered. */
  synchronized void answered(Pass pass) {
    failures = 0;
    openUntil = null;
    probing = false;
  }

  /** An attempt got no answer it could use (see the class comment). */
  synchronized void failed(Pass pass) {
    if (pass == Pass.PROBE) {
      probing = false;
      openUntil = clock.instant().plus(openFor);
      return;
    }
    if (openUntil != null) {
      return; // opened by other attempts meanwhile; the probe decides
    }
    failures++;
    if (failures >= threshold) {
      openUntil = clock.instant().plus(openFor);
    }
  }

  /** True while calls fail at once. */
  synchronized boolean isOpen() {
    return openUntil != null;
  }

  /** When the next probe may go; null when closed. */
  synchronized Instant openUntil() {
    return openUntil;
  }
}
