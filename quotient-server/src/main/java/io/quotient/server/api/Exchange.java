package io.quotient.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.api.Headers;
import io.quotient.api.ProblemType;
import io.quotient.server.auth.Authenticator;
import io.quotient.server.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * What every handler does with the HTTP exchange: read the body strictly (size, media type,
 * syntax, in that order), read path parameters, headers and query parameters with refusals that
 * name them, and write an answer record as JSON. Thread-safe.
 */
final class Exchange {
  /** Past this many bytes an oversized body is not read to its end: the connection closes instead. */
  private static final long DISCARD_LIMIT = 16L << 20;

  private final int maxBodyBytes;

  Exchange(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The request body as a JSON object. Checks, in order: size (413), media type (415), syntax
   * (400). An optional body may be empty, with or without a media type.
   */
  Body body(Context ctx, boolean required) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      discardBody(ctx);
      throw tooLarge();
    }
    byte[] bytes;
    try {
      InputStream in = ctx.req().getInputStream();
      if (declared >= 0) {
        // The declared length, read into an array of that size: readNBytes(limit) would go through
        // an 8 KiB buffer and a copy for every small body.
        bytes = new byte[(int) declared];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, read);
        }
      } else {
        bytes = in.readNBytes(maxBodyBytes + 1); // chunked: no length to trust
      }
    } catch (IOException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "the body could not be read: " + e.getMessage());
    }
    if (bytes.length > maxBodyBytes) {
      discardBody(ctx);
      throw tooLarge();
    }
    if (bytes.length == 0 && !required) {
      return Body.empty();
    }
    String type = ctx.header("Content-Type");
    if (!isJson(type)) {
      throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "the body must be application/json, was " + (type == null ? "none" : "'" + type + "'"), "Content-Type");
    }
    return Body.parse(bytes);
  }

  /**
   * Reads and drops what is left of an oversized body (up to {@link #DISCARD_LIMIT} bytes), so
   * that a client still sending it reads the 413 instead of a connection reset. Past that limit
   * the connection is closed with the answer; a failure to read changes nothing about the answer.
   */
  private static void discardBody(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      long left = DISCARD_LIMIT;
      int read;
      while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
        left -= read;
      }
    } catch (IOException e) {
      // The client stopped sending: the 413 is still the answer.
    }
  }

  private ProblemException tooLarge() {
    return new ProblemException(ProblemType.BODY_TOO_LARGE,
        "the body is larger than " + maxBodyBytes + " bytes", null, Map.of("maxBytes", maxBodyBytes));
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
  }

  /** The {@code Idempotency-Key} header (or the seeds' {@code X-Idempotency-Key}), checked; null when absent. */
  static String idempotencyKey(Context ctx) {
    String header = Headers.IDEMPOTENCY_KEY;
    String key = ctx.header(header);
    if (key == null) {
      header = Headers.X_IDEMPOTENCY_KEY;
      key = ctx.header(header);
    }
    if (key == null) {
      return null;
    }
    // The IETF draft sends the key as a structured-field string ("abc"); plain keys are accepted too.
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    String k = key;
    String field = header;
    return Body.within("", () -> Names.requireId(k, field));
  }

  /** The path parameter {@code id}, checked as an id. */
  static String pathId(Context ctx) {
    String id = ctx.pathParam("id");
    return Body.within("", () -> Names.requireId(id, "id"));
  }

  /** The caller's scope: whom events and idempotency keys are recorded for. */
  static String scope(Context ctx) {
    return Authenticator.credential(ctx).scope();
  }

  /** A whole-number query parameter within bounds; {@code fallback} when absent or empty. */
  static long queryNumber(Context ctx, String name, long min, long max, long fallback) {
    String value = blankToNull(ctx.queryParam(name));
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        throw ProblemException.invalid(name, "must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw ProblemException.invalid(name, "must be a whole number, was '" + value + "'");
    }
  }

  /** Refuses query parameters other than {@code known}, naming the first one found. */
  static void onlyQuery(Context ctx, java.util.Set<String> known) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new io.quotient.server.problem.ProblemException(io.quotient.api.ProblemType.UNKNOWN_FIELD,
            name + " is not a known query parameter; known: " + known.stream().sorted().toList(), name);
      }
    }
  }

  /** An ISO-8601 instant query parameter ({@code 2026-11-01T00:00:00Z}); null when absent. */
  static java.time.Instant queryInstant(Context ctx, String name) {
    String value = blankToNull(ctx.queryParam(name));
    if (value == null) {
      return null;
    }
    try {
      return java.time.Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw io.quotient.server.problem.ProblemException.invalid(
          name, "must be an instant such as 2026-11-01T00:00:00Z, was '" + value + "'");
    }
  }

  static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /** Writes {@code answer}, a record of {@code io.quotient.api}, as the JSON body with {@code status}. */
  static void json(Context ctx, int status, Object answer) {
    try {
      ctx.status(status).contentType(Headers.JSON).result(Body.MAPPER.writeValueAsBytes(answer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an answer could not be written as JSON", e);
    }
  }

  /** Marks the answer as the replay of an earlier request with the same idempotency key. */
  static void replayed(Context ctx, boolean replayed) {
    if (replayed) {
      ctx.header(Headers.IDEMPOTENT_REPLAYED, "true");
    }
  }
}
