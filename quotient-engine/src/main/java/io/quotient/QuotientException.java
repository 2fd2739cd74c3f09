package io.quotient;

/**
 * The root of every exception Quotient's public API throws. A denial of quota is never an
 * exception; these are for calls that cannot be answered at all.
 */
public abstract sealed class QuotientException extends RuntimeException
    permits InvalidArgumentException, NotFoundException, StorageException, EngineFailureException, CallTimeoutException,
        ConflictException {

  protected QuotientException(String message, Throwable cause) {
    super(message, cause);
  }
}
