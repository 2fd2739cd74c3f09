package io.quotient.bench.load;

/**
 * One caller's connection to the system under test: a consume client bound to one thread.
 * Not thread-safe; each caller opens its own.
 */
public interface Session extends AutoCloseable {
  /**
   * Makes one call (one request, which may carry several decisions) and waits for its answer.
   *
   * @return how many of the call's decisions were granted
   * @throws Exception when the call failed; the driver counts it as an error
   */
  int call() throws Exception;

  @Override
  default void close() throws java.io.IOException {}
}
