package io.quotient.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.api.Headers;
import io.quotient.api.Problem;
import io.quotient.api.ProblemType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends calls and retries them.
 *
 * <p>Every attempt of a call sends the same bytes with the same {@code Idempotency-Key}, so the
 * server replays rather than repeats a call it has already applied. An attempt is repeated, after
 * a growing, jittered pause, when its failure says either that the call surely did not arrive (no
 * connection; {@code shutting-down}), or that the outcome is unknown (lost answer, timeout,
 * {@code storage-unavailable}, {@code idempotency-key-in-flight}, a gateway's 502/503/504) and the
 * call is {@link Call.Replay#SAFE} to send again. Everything else is final. A {@link CircuitBreaker}
 * (unless turned off) stops attempts to a server that keeps failing them.
 *
 * <p>Thread-safe: the JDK's {@link HttpClient} and a configured {@link ObjectMapper} are.
 */
final class Transport implements AutoCloseable {
  private static final String USER_AGENT = "quotient-java-client";
  private static final int BODY_EXCERPT = 200;

  private final HttpClient http;
  private final ObjectMapper json;
  private final URI base;
  private final String authorization;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final CircuitBreaker breaker;
  private final AtomicBoolean closed = new AtomicBoolean();

  Transport(HttpClient http, ObjectMapper json, URI base, String apiKey, Duration requestTimeout, int maxRetries,
      Duration initialBackoff, Duration maxBackoff, CircuitBreaker breaker) {
    this.http = http;
    this.json = json;
    this.base = base;
    this.authorization = "Bearer " + apiKey;
    this.requestTimeout = requestTimeout;
    this.maxRetries = maxRetries;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.breaker = breaker;
  }

  /** Sends {@code call}, retrying as the class comment says; the future fails with a {@link QuotientException}. */
  <T> CompletableFuture<T> send(Call<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(call, request(call), 1, result);
    return result;
  }

  private <T> void attempt(Call<T> call, HttpRequest request, int attempt, CompletableFuture<T> result) {
    if (result.isDone()) {
      return; // cancelled by the caller between attempts
    }
    if (closed.get()) {
      result.completeExceptionally(new IllegalStateException("the Quotient client is closed"));
      return;
    }
    CircuitBreaker.Pass pass = breaker == null ? CircuitBreaker.Pass.CALL : breaker.pass();
    if (pass == null) {
      // No retry either: the breaker is open because attempts like this one fail.
      result.completeExceptionally(new QuotientUnreachableException("Quotient at " + base + " is taken to be down after "
          + "failed attempts; no call is sent before a probe at " + breaker.openUntil() + " gets an answer ("
          + call.method() + " " + call.path() + ")", call.idempotencyKey(), null, true));
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
      Failure failure;
      try {
        if (error == null) {
          if (response.statusCode() / 100 == 2) {
            answered(pass);
            result.complete(read(call, response));
            return;
          }
          failure = refused(call, response);
        } else {
          failure = failed(call, unwrap(error));
        }
      } catch (QuotientException e) {
        answered(pass);
        result.completeExceptionally(e);
        return;
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
        return;
      }
      if (breaker != null) {
        if (failure.down()) {
          breaker.failed(pass);
        } else {
          breaker.answered(pass);
        }
      }
      boolean again = failure.resend() == Resend.ALWAYS
          || (failure.resend() == Resend.IF_SAFE && call.replay() == Call.Replay.SAFE);
      if (again && attempt <= maxRetries && !closed.get()) {
        CompletableFuture.delayedExecutor(backoff(attempt).toNanos(), TimeUnit.NANOSECONDS)
            .execute(() -> attempt(call, request, attempt + 1, result));
      } else {
        result.completeExceptionally(failure.exception());
      }
    });
  }

  /** When a failed attempt may be sent again. */
  private enum Resend { ALWAYS, IF_SAFE, NEVER }

  /**
   * A failed attempt.
   *
   * @param down true when the server gave no usable answer (no connection, lost answer, timeout,
   *     shutting down, storage or gateway unavailable): what opens the circuit breaker
   */
  private record Failure(QuotientException exception, Resend resend, boolean down) {}

  private void answered(CircuitBreaker.Pass pass) {
    if (breaker != null) {
      breaker.answered(pass);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private Failure failed(Call<?> call, Throwable error) {
    String key = call.idempotencyKey();
    String what = call.method() + " " + call.path();
    // A connect timeout is a kind of HttpTimeoutException, but nothing was sent: test it first.
    if (error instanceof HttpConnectTimeoutException || error instanceof ConnectException) {
      return new Failure(new QuotientUnreachableException(
          "could not connect to Quotient at " + base + " for " + what + ": " + describe(error), key, error), Resend.ALWAYS, true);
    }
    if (error instanceof HttpTimeoutException) {
      return new Failure(new QuotientTimeoutException(
          "no answer from Quotient at " + base + " within " + requestTimeout + " for " + what, key, error), Resend.IF_SAFE, true);
    }
    if (error instanceof IOException) {
      return new Failure(new QuotientUnreachableException(
          "the connection to Quotient at " + base + " was lost before the answer to " + what + ": " + describe(error),
          key, error), Resend.IF_SAFE, true);
    }
    if (error instanceof RuntimeException r) {
      throw r;
    }
    if (error instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("unexpected failure of " + what, error);
  }

  /** An answer outside 2xx: a problem, or something that is not Quotient's. */
  private Failure refused(Call<?> call, HttpResponse<byte[]> response) {
    String key = call.idempotencyKey();
    int status = response.statusCode();
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (type.startsWith(Headers.PROBLEM_JSON)) {
      Problem problem;
      try {
        problem = json.readValue(response.body(), Problem.class);
      } catch (IOException | RuntimeException e) {
        throw new QuotientProtocolException("a problem answer (" + status + ") that does not read: " + excerpt(response),
            status, key, e);
      }
      ProblemType known = problem.problemType();
      Resend resend = known == null ? Resend.NEVER : switch (known) {
        // Refused before anything was taken: another attempt (perhaps on another instance) is clean.
        case SHUTTING_DOWN -> Resend.ALWAYS;
        // The outcome is unknown, or still being decided: only a replayable call may ask again.
        case STORAGE_UNAVAILABLE, IDEMPOTENCY_KEY_IN_FLIGHT -> Resend.IF_SAFE;
        default -> Resend.NEVER;
      };
      boolean down = known == ProblemType.SHUTTING_DOWN || known == ProblemType.STORAGE_UNAVAILABLE;
      return new Failure(new QuotientProblemException(problem, key), resend, down);
    }
    boolean gateway = status == 502 || status == 503 || status == 504;
    return new Failure(new QuotientProtocolException(
        "an answer that is not Quotient's: " + status + " " + excerpt(response), status, key, null),
        gateway ? Resend.IF_SAFE : Resend.NEVER, gateway);
  }

  private <T> T read(Call<T> call, HttpResponse<byte[]> response) {
    if (call.answer() == Void.class) {
      return null;
    }
    try {
      return json.readValue(response.body(), call.answer());
    } catch (IOException | RuntimeException e) {
      throw new QuotientProtocolException("the answer to " + call.method() + " " + call.path() + " does not read as "
          + call.answer().getSimpleName() + ": " + excerpt(response), response.statusCode(), call.idempotencyKey(), e);
    }
  }

  private HttpRequest request(Call<?> call) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path()))
        .timeout(requestTimeout)
        .header(Headers.AUTHORIZATION, authorization)
        .header("Accept", Headers.JSON + ", " + Headers.PROBLEM_JSON)
        .header("User-Agent", USER_AGENT);
    if (call.idempotencyKey() != null) {
      request.header(Headers.IDEMPOTENCY_KEY, call.idempotencyKey());
    }
    if (call.body() != null) {
      request.header("Content-Type", Headers.JSON);
      request.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    return request.build();
  }

  /**
   * Sends the GET {@code path} once and copies its answer to {@code sink} as it arrives, without
   * holding it; never resent (part of it may already be written). A problem answer is thrown as
   * such before anything is written.
   */
  void stream(String path, java.io.OutputStream sink) {
    if (closed.get()) {
      throw new IllegalStateException("the Quotient client is closed");
    }
    Call<Void> call = new Call<>("GET", path, null, null, Call.Replay.SAFE, Void.class);
    HttpResponse<java.io.InputStream> response;
    try {
      response = http.send(request(call), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw failed(call, e).exception();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted while waiting for Quotient");
    }
    try (java.io.InputStream in = response.body()) {
      if (response.statusCode() / 100 != 2) {
        byte[] body = in.readAllBytes();
        HttpResponse<byte[]> whole = new BufferedAnswer(response, body);
        throw refused(call, whole).exception();
      }
      in.transferTo(sink);
    } catch (IOException e) {
      throw new QuotientUnreachableException(
          "the connection to Quotient at " + base + " was lost during GET " + path + ": " + describe(e), null, e);
    }
  }

  /**
   * Opens the Server-Sent Events answer of the GET {@code path}, sent once, with
   * {@code Last-Event-ID} when {@code lastEventId} is not null. A problem answer is thrown as a
   * {@link QuotientProblemException}; no connection as a {@link QuotientUnreachableException}.
   */
  java.io.InputStream openEvents(String path, String lastEventId) {
    if (closed.get()) {
      throw new IllegalStateException("the Quotient client is closed");
    }
    Call<Void> call = new Call<>("GET", path, null, null, Call.Replay.SAFE, Void.class);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(requestTimeout) // until the answer's head: the stream itself lasts as long as it lasts
        .header(Headers.AUTHORIZATION, authorization)
        .header("Accept", "text/event-stream, " + Headers.PROBLEM_JSON)
        .header("User-Agent", USER_AGENT)
        .GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw failed(call, e).exception();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted while waiting for Quotient");
    }
    if (response.statusCode() / 100 != 2) {
      try (java.io.InputStream in = response.body()) {
        throw refused(call, new BufferedAnswer(response, in.readAllBytes())).exception();
      } catch (IOException e) {
        throw new QuotientUnreachableException(
            "the connection to Quotient at " + base + " was lost during GET " + path + ": " + describe(e), null, e);
      }
    }
    return response.body();
  }

  ObjectMapper json() {
    return json;
  }

  /** A streamed answer's head with its body read whole (a problem is small). */
  private record BufferedAnswer(HttpResponse<java.io.InputStream> head, byte[] body) implements HttpResponse<byte[]> {
    @Override
    public int statusCode() {
      return head.statusCode();
    }

    @Override
    public HttpRequest request() {
      return head.request();
    }

    @Override
    public java.util.Optional<HttpResponse<byte[]>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return head.headers();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return head.sslSession();
    }

    @Override
    public URI uri() {
      return head.uri();
    }

    @Override
    public HttpClient.Version version() {
      return head.version();
    }
  }

  /** The pause before attempt {@code attempt + 1}: doubling from the initial backoff up to the cap, half of it random. */
  private Duration backoff(int attempt) {
    long cap = maxBackoff.toNanos();
    long base = initialBackoff.toNanos();
    long full = attempt > 30 || base > (cap >> Math.min(attempt - 1, 62)) ? cap : Math.min(cap, base << (attempt - 1));
    long half = full / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private static String describe(Throwable error) {
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }

  private static String excerpt(HttpResponse<byte[]> response) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    return body.length() <= BODY_EXCERPT ? body : body.substring(0, BODY_EXCERPT) + "…";
  }

  /** True while the circuit breaker stops attempts. */
  boolean isCircuitOpen() {
    return breaker != null && breaker.isOpen();
  }

  /** Stops taking calls; waits for the exchanges in flight (bounded by the request timeout). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      http.close();
    }
  }
}
