package io.quotient;

/**
 * The database failed or could not be reached. Nothing the call asked for was applied: every
 * change commits together with its events or not at all.
 */
public final class StorageException extends QuotientException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
