package io.quotient.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.quotient.CallTimeoutException;
import io.quotient.ConflictException;
import io.quotient.InvalidArgumentException;
import io.quotient.NotFoundException;
import io.quotient.StorageException;
import io.quotient.api.Headers;
import io.quotient.api.Problem;
import io.quotient.api.ProblemType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge's one exception mapper: every exception a handler throws becomes a problem
 * response here, and nowhere else. Bad input is always a 4xx; only a bug is a 500.
 *
 * <p>Thread-safe.
 */
public final class ProblemMapper {
  /** The problem media type. */
  public static final String CONTENT_TYPE = Headers.PROBLEM_JSON;

  /**
   * The detail of a storage failure. The failure may come after the commit was sent (the
   * connection broke while the database answered), so the server cannot know whether a write
   * happened: saying "nothing was applied" would make a caller without a key charge twice.
   */
  public static final String STORAGE_DETAIL =
      "the database could not be reached or failed while answering, so the outcome is unknown: the request may or"
          + " may not have been applied. Retry with the same " + Headers.IDEMPOTENCY_KEY + ": if it was applied, the"
          + " retry replays its answer; if not, it is applied once. A request sent without a key may be applied twice"
          + " by a retry.";

  private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemMapper() {}

  /** Answers {@code ctx} with the problem {@code e} stands for. */
  public static void handle(Exception e, Context ctx) {
    write(ctx, toProblem(e, ctx));
  }

  /** The problem an exception stands for. */
  static Problem toProblem(Exception e, Context ctx) {
    return switch (e) {
      case ProblemException p -> p.problem();
      case InvalidArgumentException i -> Problem.of(ProblemType.INVALID_FIELD, i.getMessage(), i.field());
      case NotFoundException n -> Problem.of(ProblemType.NOT_FOUND, n.getMessage(), null);
      case ConflictException c -> Problem.of(switch (c.kind()) {
        case PLAN_IN_USE -> ProblemType.PLAN_IN_USE;
        case INSUFFICIENT_UNITS -> ProblemType.INSUFFICIENT_UNITS;
      }, c.getMessage(), null);
      case StorageException s -> {
        log.warn("storage failed on {} {}: {}", ctx.method(), ctx.path(), s.getMessage(), s);
        yield Problem.of(ProblemType.STORAGE_UNAVAILABLE, STORAGE_DETAIL, null);
      }
      case CallTimeoutException t -> {
        log.warn("no answer in time on {} {}: {}", ctx.method(), ctx.path(), t.getMessage());
        yield Problem.of(ProblemType.STORAGE_UNAVAILABLE,
            "no answer within " + t.waited().toMillis() + " ms; the outcome is unknown: retry with the same Idempotency-Key", null);
      }
      case JsonProcessingException j -> Problem.of(ProblemType.MALFORMED_JSON, "the body is not valid JSON", null);
      case HttpResponseException h -> fromHttpStatus(h);
      default -> {
        log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        yield Problem.of(ProblemType.INTERNAL_ERROR, "the server failed to answer; this is a bug", null);
      }
    };
  }

  private static Problem fromHttpStatus(HttpResponseException h) {
    return switch (h.getStatus()) {
      case 404 -> Problem.of(ProblemType.NOT_FOUND, "no such route", null);
      case 405 -> Problem.of(ProblemType.METHOD_NOT_ALLOWED, "method not allowed on this route", null);
      case 413 -> Problem.of(ProblemType.BODY_TOO_LARGE, "the body is too large", null);
      case 415 -> Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json", null);
      default -> new Problem("about:blank", h.getMessage(), h.getStatus(), h.getMessage(), null, Map.of());
    };
  }

  /** Writes {@code problem} as the response. */
  public static void write(Context ctx, Problem problem) {
    ctx.status(problem.status()).contentType(CONTENT_TYPE).result(bytes(problem));
  }

  /** {@code problem} as JSON. */
  public static byte[] bytes(Problem problem) {
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem body could not be written", e);
    }
  }

  /** True when the response already carries a problem body. */
  public static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(CONTENT_TYPE);
  }
}
