package io.quotient.client;

import io.quotient.api.Problem;
import io.quotient.api.ProblemType;
import java.util.Optional;

/**
 * The server answered with an RFC 9457 problem: bad input (naming the field), a credential or
 * role that does not reach the route, something unknown, a state that does not allow the call, or
 * the server's own trouble. Branch on {@link #type()}, not on the message.
 */
public final class QuotientProblemException extends QuotientException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  QuotientProblemException(Problem problem, String idempotencyKey) {
    super(problem.status() + " " + problem.type() + (problem.field() == null ? "" : " (" + problem.field() + ")")
        + ": " + problem.detail(), idempotencyKey, null);
    this.problem = problem;
  }

  /** The problem as the server wrote it, with its extension members (such as {@code state} or {@code refundable}). */
  public Problem problem() {
    return problem;
  }

  /** The problem's type; empty when it is a type this client version does not know (see {@link #typeUri()}). */
  public Optional<ProblemType> type() {
    return Optional.ofNullable(problem.problemType());
  }

  /** The problem's type URI, such as {@code urn:quotient:problem:invalid-field}. */
  public String typeUri() {
    return problem.type();
  }

  /** The HTTP status. */
  public int status() {
    return problem.status();
  }

  /** The offending field by its path in the request (such as {@code items[0].amount}); empty when none. */
  public Optional<String> field() {
    return Optional.ofNullable(problem.field());
  }

  /** The server's explanation, for people. */
  public String detail() {
    return problem.detail();
  }
}
