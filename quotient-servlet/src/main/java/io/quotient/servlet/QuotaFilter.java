package io.quotient.servlet;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.api.CommitRequest;
import io.quotient.api.ConsumeRequest;
import io.quotient.api.Decision;
import io.quotient.api.Headers;
import io.quotient.api.ProblemType;
import io.quotient.api.ReserveDecision;
import io.quotient.api.ReserveRequest;
import io.quotient.client.QuotientClient;
import io.quotient.client.QuotientException;
import io.quotient.client.QuotientProblemException;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Jakarta Servlet 6 filter that protects routes with Quotient.
 *
 * <pre>{@code
 * QuotaFilter filter = QuotaFilter.builder(quotientClient)
 *     .subjects(request -> request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName())
 *     .route(QuotaRoute.path("/api/generate").methods("POST").metric("ai_generations", 1)
 *         .mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS).upgradeUrl("https://example.com/pricing").build())
 *     .build();
 * }</pre>
 *
 * <p>For a request that matches a route (the first that matches, in the order given):
 *
 * <ol>
 *   <li>the subject comes from the {@link QuotaSubjectResolver} (none: a 401 problem);
 *   <li>the idempotency key is the request's {@code Idempotency-Key} or {@code X-Idempotency-Key},
 *       passed on to Quotient, so a retried request is charged once; without one, a route that
 *       {@link QuotaRoute.Builder#deduplicate deduplicates} derives one from the subject, the
 *       route, the path, a SHA-256 of the body and the 5-second window;
 *   <li>{@code consume} consumes before the handler; {@code charge-on-success} reserves before the
 *       handler and commits when the answer's status is below 400 (releases on 400 and above, or
 *       an exception);
 *   <li>a denial answers the route's status (429, 402 or 403) with {@code Retry-After},
 *       {@code RateLimit-Policy}, {@code RateLimit} and an {@code application/problem+json} body
 *       of type {@code urn:quotient:problem:quota-exceeded} with {@code metric}, {@code limit},
 *       {@code remaining}, {@code reset}, {@code upgradeUrl} and {@code reason}; the handler does
 *       not run;
 *   <li>a granted request carries {@code RateLimit-Policy} and {@code RateLimit} on its answer, and
 *       the handler finds a {@link QuotaDecision} in the request attribute {@link QuotaDecision#ATTRIBUTE};
 *   <li>when Quotient cannot be asked (unreachable, timeout, the client's circuit breaker open,
 *       storage unavailable), a {@code fail-closed} route answers 503 {@code quota-unavailable}
 *       and a {@code fail-open} route lets the request through uncounted, counted here
 *       ({@link #failedOpen()}) and logged at most once a minute.
 * </ol>
 *
 * <p>Requests that match no route pass untouched. The filter does not close the client. Thread-safe.
 */
public final class QuotaFilter implements Filter {
  private static final System.Logger LOG = System.getLogger(QuotaFilter.class.getName());
  private static final Duration DEDUPLICATION_WINDOW = Duration.ofSeconds(5);
  private static final Duration FAIL_OPEN_LOG_EVERY = Duration.ofMinutes(1);
  private static final long RETRY_UNAVAILABLE_SECONDS = 5;

  private final QuotientClient client;
  private final QuotaSubjectResolver subjects;
  private final List<QuotaRoute> routes;
  private final Clock clock;
  private final int maxBodyBytes;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong failedOpen = new AtomicLong();
  private final AtomicLong failedOpenUnlogged = new AtomicLong();
  private final AtomicReference<Instant> lastFailOpenLog = new AtomicReference<>(Instant.MIN);

  private QuotaFilter(Builder b) {
    this.client = b.client;
    this.subjects = b.subjects;
    this.routes = List.copyOf(b.routes);
    this.clock = b.clock;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /** A builder over {@code client} (shared with the application; not closed by the filter). */
  public static Builder builder(QuotientClient client) {
    return new Builder(client);
  }

  /** The routes, in matching order. */
  public List<QuotaRoute> routes() {
    return routes;
  }

  /** Requests let through uncounted by fail-open routes since the filter was made. */
  public long failedOpen() {
    return failedOpen.get();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    QuotaRoute route = routeFor(request);
    if (route == null) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest r = request;
    byte[] body = null;
    if (route.needsBody()) {
      body = readBody(request);
      if (body == null) {
        problem(response, ProblemType.BODY_TOO_LARGE.status(), ProblemType.BODY_TOO_LARGE,
            "the body is over the " + maxBodyBytes + " bytes this route reads", Map.of());
        return;
      }
      r = new BufferedRequest(request, body);
    }
    String subject = subjects.subjectOf(r);
    if (subject == null || subject.isBlank()) {
      problem(response, 401, ProblemType.UNAUTHORIZED, "this route is charged to a subject, and the request names none", Map.of());
      return;
    }
    List<ConsumeRequest.Item> items = route.items(r);
    if (items.isEmpty()) {
      chain.doFilter(r, response);
      return;
    }
    String key = idempotencyKey(r, route, subject, body);
    ConsumeRequest consume = ConsumeRequest.ofItems(subject, items);
    if (route.mode() == QuotaRoute.Mode.CONSUME) {
      Decision decision;
      try {
        decision = key == null ? client.consume(consume) : client.consume(consume, key);
      } catch (QuotientException e) {
        unavailable(route, subject, e, r, response, chain);
        return;
      }
      if (!decision.allowed()) {
        deny(route, decision.items(), decision.reason(), response);
        return;
      }
      grant(r, response, new QuotaDecision(subject, decision.items(), null, true));
      chain.doFilter(r, response);
      return;
    }
    ReserveDecision hold;
    try {
      ReserveRequest reserve = ReserveRequest.of(consume, route.holdFor().toSeconds());
      hold = key == null ? client.reserve(reserve) : client.reserve(reserve, key);
    } catch (QuotientException e) {
      unavailable(route, subject, e, r, response, chain);
      return;
    }
    if (!hold.allowed()) {
      deny(route, hold.items(), hold.reason(), response);
      return;
    }
    grant(r, response, new QuotaDecision(subject, hold.items(), hold.reservationId(), true));
    chargeOnSuccess(hold.reservationId(), r, response, chain);
  }

  private void chargeOnSuccess(String reservationId, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    boolean async = false;
    boolean failed = true;
    try {
      chain.doFilter(request, response);
      if (request.isAsyncStarted()) {
        async = true;
        AtomicBoolean settled = new AtomicBoolean();
        request.getAsyncContext().addListener(new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            if (settled.compareAndSet(false, true)) {
              settle(reservationId, response.getStatus() < 400);
            }
          }

          @Override
          public void onTimeout(AsyncEvent event) {
            if (settled.compareAndSet(false, true)) {
              settle(reservationId, false);
            }
          }

          @Override
          public void onError(AsyncEvent event) {
            if (settled.compareAndSet(false, true)) {
              settle(reservationId, false);
            }
          }

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
      } else {
        failed = response.getStatus() >= 400;
      }
    } finally {
      if (!async) {
        settle(reservationId, !failed);
      }
    }
  }

  /** Commits or releases a hold. A hold that cannot be settled now returns by itself when it expires. */
  private void settle(String reservationId, boolean succeeded) {
    try {
      if (succeeded) {
        client.commit(reservationId, CommitRequest.everything());
      } else {
        client.release(reservationId);
      }
    } catch (QuotientProblemException e) {
      if (e.problem().problemType() != ProblemType.RESERVATION_CLOSED) {
        LOG.log(System.Logger.Level.WARNING, "could not settle reservation " + reservationId + ": " + e.getMessage());
      }
      // Closed: a retry with the same idempotency key was given the same hold, and one of them settled it.
    } catch (QuotientException e) {
      LOG.log(System.Logger.Level.WARNING, "could not " + (succeeded ? "commit" : "release") + " reservation "
          + reservationId + "; its hold returns when it expires: " + e.getMessage());
    }
  }

  private QuotaRoute routeFor(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    for (QuotaRoute route : routes) {
      if (route.matches(request.getMethod(), path)) {
        return route;
      }
    }
    return null;
  }

  private void grant(HttpServletRequest request, HttpServletResponse response, QuotaDecision decision) {
    request.setAttribute(QuotaDecision.ATTRIBUTE, decision);
    String policy = RateLimitHeaders.policy(decision.items());
    if (!policy.isEmpty()) {
      response.setHeader(Headers.RATE_LIMIT_POLICY, policy);
      response.setHeader(Headers.RATE_LIMIT, RateLimitHeaders.remaining(decision.items(), clock.instant()));
    }
  }

  private void deny(QuotaRoute route, List<Decision.Item> items, String reason, HttpServletResponse response)
      throws IOException {
    Instant now = clock.instant();
    Decision.Item item = items.stream().filter(i -> i.reason() != null).findFirst().orElse(items.getFirst());
    String policy = RateLimitHeaders.policy(items);
    if (!policy.isEmpty()) {
      response.setHeader(Headers.RATE_LIMIT_POLICY, policy);
      response.setHeader(Headers.RATE_LIMIT, RateLimitHeaders.remaining(items, now));
    }
    Long retryAfter = RateLimitHeaders.retryAfter(item, reason, now);
    if (retryAfter != null) {
      response.setHeader(Headers.RETRY_AFTER, Long.toString(retryAfter));
    }
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("metric", item.metric());
    members.put("limit", item.limit());
    members.put("remaining", item.remaining());
    members.put("reset", item.resetsAt() == null ? null : item.resetsAt().toString());
    members.put("upgradeUrl", route.upgradeUrl());
    members.put("reason", reason);
    String detail = switch (reason == null ? "" : reason) {
      case "rate_limited" -> "too many requests for " + item.metric() + " at once; slow down";
      case "metric_not_in_plan" -> "the plan does not include " + item.metric();
      default -> item.limit() == null
          ? "the quota of " + item.metric() + " is used up"
          : "the quota of " + item.limit() + " " + item.metric() + " is used up"
              + (item.resetsAt() == null ? "" : "; it resets at " + item.resetsAt());
    };
    problem(response, route.denialStatus(), ProblemType.QUOTA_EXCEEDED, detail, members);
  }

  private void unavailable(QuotaRoute route, String subject, QuotientException e, HttpServletRequest request,
      HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    if (e instanceof QuotientProblemException p && answerToTheUser(p, response)) {
      return;
    }
    if (route.failureMode() == QuotaRoute.FailureMode.FAIL_OPEN) {
      failedOpen.incrementAndGet();
      failedOpenUnlogged.incrementAndGet();
      logFailOpen(route, e);
      request.setAttribute(QuotaDecision.ATTRIBUTE, new QuotaDecision(subject, List.of(), null, false));
      chain.doFilter(request, response);
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "Quotient could not be asked for " + route + "; refused (fail-closed): " + e.getMessage());
    response.setHeader(Headers.RETRY_AFTER, Long.toString(RETRY_UNAVAILABLE_SECONDS));
    problem(response, 503, ProblemType.QUOTA_UNAVAILABLE, "the quota service cannot be asked; try again shortly", Map.of());
  }

  /** Problems that are the end user's to fix: the idempotency key's. */
  private boolean answerToTheUser(QuotientProblemException e, HttpServletResponse response) throws IOException {
    ProblemType type = e.problem().problemType();
    if (type == ProblemType.IDEMPOTENCY_KEY_MISMATCH || type == ProblemType.IDEMPOTENCY_KEY_IN_FLIGHT) {
      problem(response, type.status(), type, e.problem().detail(), Map.of("field", Headers.IDEMPOTENCY_KEY));
      return true;
    }
    return false;
  }

  private void logFailOpen(QuotaRoute route, QuotientException e) {
    Instant now = clock.instant();
    Instant last = lastFailOpenLog.get();
    if (now.isBefore(last.plus(FAIL_OPEN_LOG_EVERY)) || !lastFailOpenLog.compareAndSet(last, now)) {
      return;
    }
    long count = failedOpenUnlogged.getAndSet(0);
    LOG.log(System.Logger.Level.WARNING, "Quotient could not be asked; " + count + " request(s) let through uncounted"
        + " (fail-open) since the last report, the latest for " + route + ": " + e.getMessage());
  }

  private String idempotencyKey(HttpServletRequest request, QuotaRoute route, String subject, byte[] body) {
    String key = request.getHeader(Headers.IDEMPOTENCY_KEY);
    if (key == null) {
      key = request.getHeader(Headers.X_IDEMPOTENCY_KEY);
    }
    if (key != null) {
      key = key.strip();
      // The IETF draft sends the key as a structured-field string ("abc").
      if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
        key = key.substring(1, key.length() - 1);
      }
      if (!key.isEmpty()) {
        return key;
      }
    }
    if (!route.deduplicate()) {
      return null;
    }
    long window = clock.instant().getEpochSecond() / DEDUPLICATION_WINDOW.toSeconds();
    MessageDigest sha = sha256();
    for (String part : new String[] {subject, route.pattern(), request.getMethod(), request.getRequestURI(), Long.toString(window)}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(bytes);
    }
    sha.update(sha256().digest(body));
    return "auto-" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The whole body, or null when it is longer than {@link Builder#maxBodyBytes}. */
  private byte[] readBody(HttpServletRequest request) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = request.getInputStream()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + n > maxBodyBytes) {
          return null;
        }
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  private void problem(HttpServletResponse response, int status, ProblemType type, String detail, Map<String, Object> members)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type.uri());
    body.put("title", type.title());
    body.put("status", status);
    body.put("detail", detail);
    body.putAll(members);
    response.setStatus(status);
    response.setContentType(Headers.PROBLEM_JSON);
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(json.writeValueAsBytes(body));
  }

  /** Settings of a {@link QuotaFilter}. Not thread-safe. */
  public static final class Builder {
    private final QuotientClient client;
    private final List<QuotaRoute> routes = new ArrayList<>();
    private QuotaSubjectResolver subjects;
    private Clock clock = Clock.systemUTC();
    private int maxBodyBytes = 1 << 20;

    private Builder(QuotientClient client) {
      this.client = requireNonNull(client, "client");
    }

    /** Names each request's subject (required). */
    public Builder subjects(QuotaSubjectResolver subjects) {
      this.subjects = requireNonNull(subjects, "subjects");
      return this;
    }

    /** Protects a route; routes are matched in the order given, the first match wins. */
    public Builder route(QuotaRoute route) {
      routes.add(requireNonNull(route, "route"));
      return this;
    }

    /** The clock of headers, de-duplication windows and fail-open logs; the system's unless set. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The longest body a route that reads bodies accepts (413 past it); 1 MiB unless set. */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * The filter.
     *
     * @throws IllegalStateException without a subject resolver
     */
    public QuotaFilter build() {
      if (subjects == null) {
        throw new IllegalStateException("a subject resolver is required: subjects(request -> …)");
      }
      return new QuotaFilter(this);
    }
  }
}
