package io.quotient;

/**
 * The engine failed while deciding or committing the batch a request was in, for a reason that is
 * neither bad input nor the database (a bug, or the JVM running out of something; the cause says
 * which). Nothing of that batch was applied: its transaction rolled back. Only the requests of
 * that batch get this; the engine goes on with the next batch, so a retry (with the same
 * idempotency key) is safe.
 */
public final class EngineFailureException extends QuotientException {
  public EngineFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
