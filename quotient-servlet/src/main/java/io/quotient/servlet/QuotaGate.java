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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The decision in front of a protected handler, shared by {@link QuotaFilter} and framework glue
 * (the Spring starter's {@code @Quota}): {@link #admit} asks Quotient before the handler and
 * either lets the request in or answers it; {@link #settle} commits or releases a
 * {@code charge-on-success} hold after it. {@link QuotaFilter}'s comment describes the behaviour.
 * Thread-safe.
 */
public final class QuotaGate {
  private static final Duration DEDUPLICATION_WINDOW = Duration.ofSeconds(5);
  private static final Duration FAIL_OPEN_LOG_EVERY = Duration.ofMinutes(1);
  private static final long RETRY_UNAVAILABLE_SECONDS = 5;

  private final QuotientClient client;
  private final System.Logger log;
  private final QuotaSubjectResolver subjects;
  private final Clock clock;
  private final int maxBodyBytes;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong failedOpen = new AtomicLong();
  private final AtomicLong failedOpenUnlogged = new AtomicLong();
  private final AtomicReference<Instant> lastFailOpenLog = new AtomicReference<>(Instant.MIN);

  private QuotaGate(Builder b) {
    this.client = b.client;
    this.log = b.log;
    this.subjects = b.subjects;
    this.clock = b.clock;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /** A builder over {@code client} (shared with the application; not closed by the gate). */
  public static Builder builder(QuotientClient client) {
    return new Builder(client);
  }

  /**
   * The outcome of {@link #admit}.
   *
   * @param proceed true when the handler may run; false when the answer was written (a denial, a
   *     problem)
   * @param request the request to hand on: the one given, or a copy whose body can be read again
   *     when the route read it
   * @param reservationId the hold to {@link #settle} after the handler; null when there is none
   *     ({@code consume}, or let through by a fail-open route)
   */
  public record Admission(boolean proceed, HttpServletRequest request, String reservationId) {}

  /** Requests let through uncounted by fail-open routes since the gate was made. */
  public long failedOpen() {
    return failedOpen.get();
  }

  /**
   * Asks Quotient about {@code request} under {@code route}: consumes or reserves, sets the
   * {@link QuotaDecision} attribute and the {@code RateLimit} headers when granted, and writes the
   * answer (a denial, a 401, a 503, an idempotency problem) when not.
   */
  public Admission admit(HttpServletRequest request, HttpServletResponse response, QuotaRoute route) throws IOException {
    requireNonNull(route, "route");
    HttpServletRequest r = request;
    byte[] body = null;
    if (route.needsBody()) {
      body = readBody(request);
      if (body == null) {
        problem(response, ProblemType.BODY_TOO_LARGE.status(), ProblemType.BODY_TOO_LARGE,
            "the body is over the " + maxBodyBytes + " bytes this route reads", Map.of());
        return new Admission(false, request, null);
      }
      r = new BufferedRequest(request, body);
    }
    String subject = subjects.subjectOf(r);
    if (subject == null || subject.isBlank()) {
      problem(response, 401, ProblemType.UNAUTHORIZED, "this route is charged to a subject, and the request names none", Map.of());
      return new Admission(false, r, null);
    }
    List<ConsumeRequest.Item> items = route.items(r);
    if (items.isEmpty()) {
      return new Admission(true, r, null);
    }
    String key = idempotencyKey(r, route, subject, body);
    ConsumeRequest consume = ConsumeRequest.ofItems(subject, items);
    try {
      if (route.mode() == QuotaRoute.Mode.CONSUME) {
        Decision decision = key == null ? client.consume(consume) : client.consume(consume, key);
        if (!decision.allowed()) {
          deny(route, decision.items(), decision.reason(), response);
          return new Admission(false, r, null);
        }
        grant(r, response, new QuotaDecision(subject, decision.items(), null, true));
        return new Admission(true, r, null);
      }
      ReserveRequest reserve = ReserveRequest.of(consume, route.holdFor().toSeconds());
      ReserveDecision hold = key == null ? client.reserve(reserve) : client.reserve(reserve, key);
      if (!hold.allowed()) {
        deny(route, hold.items(), hold.reason(), response);
        return new Admission(false, r, null);
      }
      grant(r, response, new QuotaDecision(subject, hold.items(), hold.reservationId(), true));
      return new Admission(true, r, hold.reservationId());
    } catch (QuotientException e) {
      return unavailable(route, subject, e, r, response);
    }
  }

  /**
   * Commits ({@code succeeded}) or releases the hold {@code reservationId}. A hold that cannot be
   * settled now returns by itself when it expires; nothing is thrown.
   */
  public void settle(String reservationId, boolean succeeded) {
    requireNonNull(reservationId, "reservationId");
    try {
      if (succeeded) {
        client.commit(reservationId, CommitRequest.everything());
      } else {
        client.release(reservationId);
      }
    } catch (QuotientProblemException e) {
      // Closed: a retry with the same idempotency key was given the same hold, and one of them settled it.
      if (e.problem().problemType() != ProblemType.RESERVATION_CLOSED) {
        log.log(System.Logger.Level.WARNING, "could not settle reservation " + reservationId + ": " + e.getMessage());
      }
    } catch (QuotientException e) {
      log.log(System.Logger.Level.WARNING, "could not " + (succeeded ? "commit" : "release") + " reservation "
          + reservationId + "; its hold returns when it expires: " + e.getMessage());
    }
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

  private Admission unavailable(QuotaRoute route, String subject, QuotientException e, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    if (e instanceof QuotientProblemException p) {
      ProblemType type = p.problem().problemType();
      // The end user's to fix: another request's key, or the same request still running.
      if (type == ProblemType.IDEMPOTENCY_KEY_MISMATCH || type == ProblemType.IDEMPOTENCY_KEY_IN_FLIGHT) {
        problem(response, type.status(), type, p.problem().detail(), Map.of("field", Headers.IDEMPOTENCY_KEY));
        return new Admission(false, request, null);
      }
    }
    if (route.failureMode() == QuotaRoute.FailureMode.FAIL_OPEN) {
      failedOpen.incrementAndGet();
      failedOpenUnlogged.incrementAndGet();
      logFailOpen(route, e);
      request.setAttribute(QuotaDecision.ATTRIBUTE, new QuotaDecision(subject, List.of(), null, false));
      return new Admission(true, request, null);
    }
    log.log(System.Logger.Level.WARNING, "Quotient could not be asked for " + route + "; refused (fail-closed): " + e.getMessage());
    response.setHeader(Headers.RETRY_AFTER, Long.toString(RETRY_UNAVAILABLE_SECONDS));
    problem(response, 503, ProblemType.QUOTA_UNAVAILABLE, "the quota service cannot be asked; try again shortly", Map.of());
    return new Admission(false, request, null);
  }

  private void logFailOpen(QuotaRoute route, QuotientException e) {
    Instant now = clock.instant();
    Instant last = lastFailOpenLog.get();
    if (now.isBefore(last.plus(FAIL_OPEN_LOG_EVERY)) || !lastFailOpenLog.compareAndSet(last, now)) {
      return;
    }
    long count = failedOpenUnlogged.getAndSet(0);
    log.log(System.Logger.Level.WARNING, "Quotient could not be asked; " + count + " request(s) let through uncounted"
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
    sha.update(sha256().digest(body == null ? new byte[0] : body));
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

  /** Settings of a {@link QuotaGate}. Not thread-safe. */
  public static final class Builder {
    private final QuotientClient client;
    private QuotaSubjectResolver subjects;
    private System.Logger log = System.getLogger(QuotaGate.class.getName());
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

    /** The clock of headers, de-duplication windows and fail-open logs; the system's unless set. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Where the gate's warnings go (tests read them); {@code System.getLogger("io.quotient.servlet.QuotaGate")} unless set. */
    Builder log(System.Logger log) {
      this.log = requireNonNull(log, "log");
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
     * The gate.
     *
     * @throws IllegalStateException without a subject resolver
     */
    public QuotaGate build() {
      if (subjects == null) {
        throw new IllegalStateException("a subject resolver is required: subjects(request -> …)");
      }
      return new QuotaGate(this);
    }
  }
}
