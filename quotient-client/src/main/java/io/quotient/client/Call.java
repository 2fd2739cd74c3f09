package io.quotient.client;

/**
 * One logical call: what is sent on every attempt (the same bytes and the same idempotency key) and
 * how safe it is to send again.
 *
 * @param method the HTTP method
 * @param path the path and query, encoded
 * @param body the JSON body; null for none
 * @param idempotencyKey the key sent as {@code Idempotency-Key}; null for reads
 * @param replay whether a resend after the request may have arrived is safe
 * @param answer the record the answer reads as
 */
record Call<T>(String method, String path, byte[] body, String idempotencyKey, Replay replay, Class<T> answer) {

  /** How safe it is to send a call again once it may have reached the server. */
  enum Replay {
    /**
     * Applied at most once however often it arrives: reads, {@code PUT}s, revocations, settling a
     * reservation (settled once; a later attempt is refused), and the calls the server
     * de-duplicates by idempotency key (consume, batch, reserve, refund). Resent after a lost
     * answer, a timeout, or an answer that says the outcome is unknown.
     */
    SAFE,
    /**
     * Would act again if it arrived twice (a grant, a reset, a new key): resent only when it
     * surely did not arrive (no connection, or the server refused it before taking it).
     */
    ONCE
  }
}
