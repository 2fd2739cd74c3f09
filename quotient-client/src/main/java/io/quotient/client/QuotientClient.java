package io.quotient.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quotient.api.AlertRule;
import io.quotient.api.AlertRuleRequest;
import io.quotient.api.AlertRules;
import io.quotient.api.Alerts;
import io.quotient.api.BatchRequest;
import io.quotient.api.DenialRates;
import io.quotient.api.NearLimitPage;
import io.quotient.api.Recommendation;
import io.quotient.api.SubjectAnalytics;
import io.quotient.api.TopConsumers;
import io.quotient.api.UsageDistribution;
import io.quotient.api.BatchResponse;
import io.quotient.api.CommitRequest;
import io.quotient.api.ConsumeRequest;
import io.quotient.api.Decision;
import io.quotient.api.EventPage;
import io.quotient.api.Grant;
import io.quotient.api.GrantRequest;
import io.quotient.api.Grants;
import io.quotient.api.Health;
import io.quotient.api.IssuedKey;
import io.quotient.api.Key;
import io.quotient.api.KeyRequest;
import io.quotient.api.Keys;
import io.quotient.api.Plan;
import io.quotient.api.PlanRequest;
import io.quotient.api.Plans;
import io.quotient.api.Refund;
import io.quotient.api.RefundRequest;
import io.quotient.api.Reservation;
import io.quotient.api.ReserveDecision;
import io.quotient.api.ReserveRequest;
import io.quotient.api.Reset;
import io.quotient.api.ResetRequest;
import io.quotient.api.Settlement;
import io.quotient.api.OverageReport;
import io.quotient.api.Subject;
import io.quotient.api.SubjectPage;
import io.quotient.api.Transfer;
import io.quotient.api.TransferRequest;
import io.quotient.api.SubjectRequest;
import io.quotient.api.Token;
import io.quotient.api.TokenRequest;
import io.quotient.api.Usage;
import io.quotient.client.Call.Replay;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The client of a Quotient server's HTTP API.
 *
 * <pre>{@code
 * QuotientClient quotient = QuotientClient.builder()
 *     .url("http://localhost:8080")
 *     .apiKey(System.getenv("QUOTIENT_API_KEY"))
 *     .build();
 * Decision decision = quotient.consume("alice", "ai_generations", 1);
 * if (decision.allowed()) {
 *   // do the work
 * }
 * }</pre>
 *
 * <p>Every call has a blocking form and an {@code …Async} form answering a
 * {@link CompletableFuture}; the blocking form is the other one awaited. Answers are the records
 * of {@code io.quotient.api}. A denial is an answer ({@code allowed == false}); a call that gets no
 * answer throws (or completes its future with) a {@link QuotientException}: unreachable, timeout, a
 * problem with its type and field, or an answer that is not Quotient's. A null request, or a null
 * or blank id in a path, fails at once ({@link NullPointerException}, {@link IllegalArgumentException});
 * the server checks everything else and answers a problem naming the field.
 *
 * <p><b>Retries and idempotency.</b> Every mutating call carries an {@code Idempotency-Key}: the
 * caller's, or one generated for the call, and every retry of the call sends the same key, so a
 * retry after a lost answer replays the first outcome instead of charging again. A call is retried
 * (up to {@link Builder#retries}, with a doubling, jittered pause) when it surely did not arrive
 * (no connection, or the server was shutting down), and — for the calls that are safe to repeat
 * (reads, {@code PUT}s, consume, batch, reserve, refund, commit, release, revocations, tokens) —
 * also when its outcome is unknown (lost answer, timeout, {@code storage-unavailable}). A grant, a
 * reset and a new key are not repeated once they may have arrived: the server does not
 * de-duplicate them, and a repeat would act twice.
 *
 * <p><b>Circuit breaker.</b> When the server stops answering (5 attempts in a row without an
 * answer, unless {@link Builder#circuitBreaker set}), calls fail at once with a
 * {@link QuotientUnreachableException} whose {@code circuitOpen()} is true, for 5 seconds; then one
 * call goes as a probe, and its answer lets every call through again. A server that is down so
 * costs no timeout per call.
 *
 * <p>This class is thread-safe and for best performance a single instance should be shared by the
 * whole application: it holds one connection pool. Close it when the application stops.
 */
public final class QuotientClient implements AutoCloseable {
  private final Transport transport;
  private final ObjectMapper json;
  private final Duration streamIdleTimeout;

  private QuotientClient(Transport transport, ObjectMapper json, Duration streamIdleTimeout) {
    this.transport = transport;
    this.json = json;
    this.streamIdleTimeout = streamIdleTimeout;
  }

  /** A builder; {@link Builder#url} and {@link Builder#apiKey} are required. */
  public static Builder builder() {
    return new Builder();
  }

  // Enforcement
  /** Consumes {@code request}'s items, all or none, with a key generated for this call. */
  public Decision consume(ConsumeRequest request) {
    return await(consumeAsync(request));
  }

  /** As {@link #consume(ConsumeRequest)}, without blocking. */
  public CompletableFuture<Decision> consumeAsync(ConsumeRequest request) {
    return consumeAsync(request, newKey());
  }

  /** Consumes {@code request}'s items, all or none, with the caller's idempotency key: a repeat of the call (by this or any client, for the same subject) replays the first decision, denial included, and consumes nothing. */
  public Decision consume(ConsumeRequest request, String idempotencyKey) {
    return await(consumeAsync(request, idempotencyKey));
  }

  /** As {@link #consume(ConsumeRequest, String)}, without blocking. */
  public CompletableFuture<Decision> consumeAsync(ConsumeRequest request, String idempotencyKey) {
    return send(post("/v1/consume", requireNonNull(request, "request"), key(idempotencyKey), Replay.SAFE, Decision.class));
  }

  /** Consumes {@code amount} of {@code metric} for {@code subject}, with a key generated for this call. */
  public Decision consume(String subject, String metric, long amount) {
    return await(consumeAsync(subject, metric, amount));
  }

  /** As {@link #consume(String, String, long)}, without blocking. */
  public CompletableFuture<Decision> consumeAsync(String subject, String metric, long amount) {
    return consumeAsync(ConsumeRequest.of(subject, metric, amount));
  }

  /** Decides {@code request} as a consume would, consuming nothing and recording nothing. */
  public Decision check(ConsumeRequest request) {
    return await(checkAsync(request));
  }

  /** As {@link #check(ConsumeRequest)}, without blocking. */
  public CompletableFuture<Decision> checkAsync(ConsumeRequest request) {
    return send(post("/v1/check", requireNonNull(request, "request"), null, Replay.SAFE, Decision.class));
  }

  /** Decides several consumes in one call, each on its own, in order. An entry without an idempotency key gets one derived from a key generated for this call, so that a retried batch replays every entry. */
  public BatchResponse batch(BatchRequest request) {
    return await(batchAsync(request));
  }

  /** As {@link #batch(BatchRequest)}, without blocking. */
  public CompletableFuture<BatchResponse> batchAsync(BatchRequest request) {
    return batchAsyncWithKeys(request);
  }

  /** Holds {@code request}'s items for its time to live, with a key generated for this call; the answer names the reservation when granted. */
  public ReserveDecision reserve(ReserveRequest request) {
    return await(reserveAsync(request));
  }

  /** As {@link #reserve(ReserveRequest)}, without blocking. */
  public CompletableFuture<ReserveDecision> reserveAsync(ReserveRequest request) {
    return reserveAsync(request, newKey());
  }

  /** Holds {@code request}'s items, with the caller's idempotency key (a repeat replays the first answer and holds nothing more). */
  public ReserveDecision reserve(ReserveRequest request, String idempotencyKey) {
    return await(reserveAsync(request, idempotencyKey));
  }

  /** As {@link #reserve(ReserveRequest, String)}, without blocking. */
  public CompletableFuture<ReserveDecision> reserveAsync(ReserveRequest request, String idempotencyKey) {
    return send(post("/v1/reservations", requireNonNull(request, "request"), key(idempotencyKey), Replay.SAFE, ReserveDecision.class));
  }

  /** Commits reservation {@code reservationId} with the actual amounts ({@link CommitRequest#everything()} for all that is held); the rest returns. A reservation is settled once: a retry that finds it settled answers the problem {@code reservation-closed} with its {@code state}. */
  public Settlement commit(String reservationId, CommitRequest request) {
    return await(commitAsync(reservationId, request));
  }

  /** As {@link #commit(String, CommitRequest)}, without blocking. */
  public CompletableFuture<Settlement> commitAsync(String reservationId, CommitRequest request) {
    return send(post("/v1/reservations/" + segment(reservationId, "reservationId") + "/commit", requireNonNull(request, "request"), newKey(), Replay.SAFE, Settlement.class));
  }

  /** Releases reservation {@code reservationId}: every held unit returns. Settled once, as {@link #commit}. */
  public Settlement release(String reservationId) {
    return await(releaseAsync(reservationId));
  }

  /** As {@link #release(String)}, without blocking. */
  public CompletableFuture<Settlement> releaseAsync(String reservationId) {
    return send(post("/v1/reservations/" + segment(reservationId, "reservationId") + "/release", null, newKey(), Replay.SAFE, Settlement.class));
  }

  /** Reservation {@code reservationId} as it stands. */
  public Reservation reservation(String reservationId) {
    return await(reservationAsync(reservationId));
  }

  /** As {@link #reservation(String)}, without blocking. */
  public CompletableFuture<Reservation> reservationAsync(String reservationId) {
    return send(get("/v1/reservations/" + segment(reservationId, "reservationId"), Reservation.class));
  }

  /** Gives back all or part of an earlier consume, with a key generated for this call. */
  public Refund refund(RefundRequest request) {
    return await(refundAsync(request));
  }

  /** As {@link #refund(RefundRequest)}, without blocking. */
  public CompletableFuture<Refund> refundAsync(RefundRequest request) {
    return refundAsync(request, newKey());
  }

  /** Gives back all or part of an earlier consume, with the caller's idempotency key (sent as the {@code Idempotency-Key} header; it is not the consume's key, which {@code request} names). */
  public Refund refund(RefundRequest request, String idempotencyKey) {
    return await(refundAsync(request, idempotencyKey));
  }

  /** As {@link #refund(RefundRequest, String)}, without blocking. */
  public CompletableFuture<Refund> refundAsync(RefundRequest request, String idempotencyKey) {
    return send(post("/v1/refunds", requireNonNull(request, "request"), key(idempotencyKey), Replay.SAFE, Refund.class));
  }

  /** {@code subject}'s plan and its usage of each metric in the current window. */
  public Usage usage(String subject) {
    return await(usageAsync(subject));
  }

  /** As {@link #usage(String)}, without blocking. */
  public CompletableFuture<Usage> usageAsync(String subject) {
    return send(get("/v1/subjects/" + segment(subject, "subject") + "/usage", Usage.class));
  }

  /** A subject's daily series and forecast over the {@code days} (1 to 90) days ending today. */
  public SubjectAnalytics analytics(String subject, int days) {
    return await(analyticsAsync(subject, days));
  }

  /** As {@link #analytics(String, int)}, without blocking. */
  public CompletableFuture<SubjectAnalytics> analyticsAsync(String subject, int days) {
    return send(get("/v1/subjects/" + segment(subject, "subject") + "/analytics?days=" + days, SubjectAnalytics.class));
  }

  /** The plan to suggest to a subject, or stay. */
  public Recommendation recommendation(String subject) {
    return await(recommendationAsync(subject));
  }

  /** As {@link #recommendation(String)}, without blocking. */
  public CompletableFuture<Recommendation> recommendationAsync(String subject) {
    return send(get("/v1/subjects/" + segment(subject, "subject") + "/recommendation", Recommendation.class));
  }

  // Analytics for operators (read or admin key)
  /** Subjects at or past {@code minPercent} of a limit, highest first: a page of {@code limit} from {@code offset}. */
  public NearLimitPage nearLimit(int minPercent, int offset, int limit) {
    return await(nearLimitAsync(minPercent, offset, limit));
  }

  /** As {@link #nearLimit(int, int, int)}, without blocking. */
  public CompletableFuture<NearLimitPage> nearLimitAsync(int minPercent, int offset, int limit) {
    return send(get("/v1/analytics/near-limit?min=" + minPercent + "&offset=" + offset + "&limit=" + limit, NearLimitPage.class));
  }

  /** Decisions, denials and the denial rate per UTC hour over the last {@code hours} hours. */
  public DenialRates denials(int hours) {
    return await(denialsAsync(hours));
  }

  /** As {@link #denials(int)}, without blocking. */
  public CompletableFuture<DenialRates> denialsAsync(int hours) {
    return send(get("/v1/analytics/denials?hours=" + hours, DenialRates.class));
  }

  /** How many subjects use each 10% band of {@code metric}'s limit. */
  public UsageDistribution distribution(String metric) {
    return await(distributionAsync(metric));
  }

  /** As {@link #distribution(String)}, without blocking. */
  public CompletableFuture<UsageDistribution> distributionAsync(String metric) {
    return send(get("/v1/analytics/distribution?metric=" + URLEncoder.encode(requireNonNull(metric, "metric"),
        java.nio.charset.StandardCharsets.UTF_8), UsageDistribution.class));
  }

  /** The {@code limit} subjects using the most of {@code metric} in their current window. */
  public TopConsumers top(String metric, int limit) {
    return await(topAsync(metric, limit));
  }

  /** As {@link #top(String, int)}, without blocking. */
  public CompletableFuture<TopConsumers> topAsync(String metric, int limit) {
    return send(get("/v1/analytics/top?metric=" + URLEncoder.encode(requireNonNull(metric, "metric"),
        java.nio.charset.StandardCharsets.UTF_8) + "&limit=" + limit, TopConsumers.class));
  }

  // Administration (admin key; reads also with a read key)
  /** Every plan. */
  public Plans plans() {
    return await(plansAsync());
  }

  /** As {@link #plans()}, without blocking. */
  public CompletableFuture<Plans> plansAsync() {
    return send(get("/v1/plans", Plans.class));
  }

  /** The plan {@code name}. */
  public Plan plan(String name) {
    return await(planAsync(name));
  }

  /** As {@link #plan(String)}, without blocking. */
  public CompletableFuture<Plan> planAsync(String name) {
    return send(get("/v1/plans/" + segment(name, "name"), Plan.class));
  }

  /** Creates or replaces the plan {@code name}. */
  public Plan putPlan(String name, PlanRequest request) {
    return await(putPlanAsync(name, request));
  }

  /** As {@link #putPlan(String, PlanRequest)}, without blocking. */
  public CompletableFuture<Plan> putPlanAsync(String name, PlanRequest request) {
    return send(put("/v1/plans/" + segment(name, "name"), requireNonNull(request, "request"), Plan.class));
  }

  /** The subject {@code id}. */
  public Subject subject(String id) {
    return await(subjectAsync(id));
  }

  /** As {@link #subject(String)}, without blocking. */
  public CompletableFuture<Subject> subjectAsync(String id) {
    return send(get("/v1/subjects/" + segment(id, "id"), Subject.class));
  }

  /** Creates or changes the subject {@code id}; a field left null keeps its value. */
  public Subject putSubject(String id, SubjectRequest request) {
    return await(putSubjectAsync(id, request));
  }

  /** As {@link #putSubject(String, SubjectRequest)}, without blocking. */
  public CompletableFuture<Subject> putSubjectAsync(String id, SubjectRequest request) {
    return send(put("/v1/subjects/" + segment(id, "id"), requireNonNull(request, "request"), Subject.class));
  }

  /** Grants {@code subject} bonus units. Sent again only when it surely did not arrive: a repeat would grant twice. */
  public Grant grant(String subject, GrantRequest request) {
    return await(grantAsync(subject, request));
  }

  /** As {@link #grant(String, GrantRequest)}, without blocking. */
  public CompletableFuture<Grant> grantAsync(String subject, GrantRequest request) {
    return send(post("/v1/subjects/" + segment(subject, "subject") + "/grants", requireNonNull(request, "request"), newKey(), Replay.ONCE, Grant.class));
  }

  /** {@code subject}'s grants, newest first. */
  public Grants grants(String subject) {
    return await(grantsAsync(subject));
  }

  /** As {@link #grants(String)}, without blocking. */
  public CompletableFuture<Grants> grantsAsync(String subject) {
    return send(get("/v1/subjects/" + segment(subject, "subject") + "/grants", Grants.class));
  }

  /** Starts {@code subject}'s current windows again from zero: of {@code request}'s metric, or of every metric when it names none. Sent again only when it surely did not arrive. */
  public Reset reset(String subject, ResetRequest request) {
    return await(resetAsync(subject, request));
  }

  /** As {@link #reset(String, ResetRequest)}, without blocking. */
  public CompletableFuture<Reset> resetAsync(String subject, ResetRequest request) {
    return send(post("/v1/subjects/" + segment(subject, "subject") + "/reset", requireNonNull(request, "request"), newKey(), Replay.ONCE, Reset.class));
  }

  /** Issues a short-lived token that reads {@code subject}'s usage and nothing else, for an end user's browser. */
  public Token token(String subject, TokenRequest request) {
    return await(tokenAsync(subject, request));
  }

  /** As {@link #token(String, TokenRequest)}, without blocking. */
  public CompletableFuture<Token> tokenAsync(String subject, TokenRequest request) {
    return send(post("/v1/subjects/" + segment(subject, "subject") + "/tokens", requireNonNull(request, "request"), newKey(), Replay.SAFE, Token.class));
  }

  /** Creates an API key; the answer is the only one that carries the key. Sent again only when it surely did not arrive. */
  public IssuedKey createKey(KeyRequest request) {
    return await(createKeyAsync(request));
  }

  /** As {@link #createKey(KeyRequest)}, without blocking. */
  public CompletableFuture<IssuedKey> createKeyAsync(KeyRequest request) {
    return send(post("/v1/keys", requireNonNull(request, "request"), newKey(), Replay.ONCE, IssuedKey.class));
  }

  /** Every API key, revoked ones included, without their secrets. */
  public Keys keys() {
    return await(keysAsync());
  }

  /** As {@link #keys()}, without blocking. */
  public CompletableFuture<Keys> keysAsync() {
    return send(get("/v1/keys", Keys.class));
  }

  /** Revokes the key {@code id}; it stops working at once. Revoking a revoked key changes nothing. */
  public Key revokeKey(String id) {
    return await(revokeKeyAsync(id));
  }

  /** As {@link #revokeKey(String)}, without blocking. */
  public CompletableFuture<Key> revokeKeyAsync(String id) {
    return send(new Call<>("DELETE", "/v1/keys/" + segment(id, "id"), null, newKey(), Replay.SAFE, Key.class));
  }

  /** A page of subjects in id order, filtered by {@code query}. */
  public SubjectPage subjects(SubjectQuery query) {
    return await(subjectsAsync(query));
  }

  /** As {@link #subjects(SubjectQuery)}, without blocking. */
  public CompletableFuture<SubjectPage> subjectsAsync(SubjectQuery query) {
    requireNonNull(query, "query");
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    if (query.plan() != null) {
      params.add("plan=" + encode(query.plan()));
    }
    if (query.metadata() != null) {
      params.add("metadata=" + encode(query.metadata()));
    }
    if (query.atShare() != null) {
      params.add("atShare=" + query.atShare());
    }
    if (query.createdSince() != null) {
      params.add("createdSince=" + encode(query.createdSince().toString()));
    }
    if (query.after() != null) {
      params.add("after=" + encode(query.after()));
    }
    if (query.limit() != null) {
      params.add("limit=" + query.limit());
    }
    return send(get("/v1/subjects" + params, SubjectPage.class));
  }

  /** Deletes a subject with its counters, grants and reservations; its events stay in the audit trail. */
  public void deleteSubject(String id) {
    await(deleteSubjectAsync(id));
  }

  /** As {@link #deleteSubject(String)}, without blocking. */
  public CompletableFuture<Void> deleteSubjectAsync(String id) {
    // Not resent when the outcome is unknown: a second delete would answer 404 for a deleted subject.
    return send(new Call<>("DELETE", "/v1/subjects/" + segment(id, "id"), null, null, Replay.ONCE, Void.class));
  }

  /** Deletes a plan; refused ({@code plan-in-use}) while subjects are on it. */
  public void deletePlan(String name) {
    await(deletePlanAsync(name));
  }

  /** As {@link #deletePlan(String)}, without blocking. */
  public CompletableFuture<Void> deletePlanAsync(String name) {
    return send(new Call<>("DELETE", "/v1/plans/" + segment(name, "name"), null, null, Replay.ONCE, Void.class));
  }

  /** Moves units from one subject to another at once, with a key of its own (so a resend is a replay). */
  public Transfer transfer(TransferRequest request) {
    return await(transferAsync(request, newKey()));
  }

  /** Like {@link #transfer(TransferRequest)} with the caller's idempotency key (scoped to {@code from}). */
  public Transfer transfer(TransferRequest request, String idempotencyKey) {
    return await(transferAsync(request, idempotencyKey));
  }

  /** As {@link #transfer(TransferRequest, String)}, without blocking. */
  public CompletableFuture<Transfer> transferAsync(TransferRequest request, String idempotencyKey) {
    return send(post("/v1/transfers", requireNonNull(request, "request"), key(idempotencyKey), Replay.SAFE, Transfer.class));
  }

  /** The overage of {@code period}, a calendar month such as {@code 2026-11}. */
  public OverageReport overageReport(YearMonth period) {
    return await(overageReportAsync(period));
  }

  /** As {@link #overageReport(YearMonth)}, without blocking. */
  public CompletableFuture<OverageReport> overageReportAsync(YearMonth period) {
    return send(get("/v1/reports/overage?period=" + requireNonNull(period, "period"), OverageReport.class));
  }

  /**
   * Streams the usage export of {@code period} in {@code format} ({@code csv} or {@code json}) to
   * {@code sink} as it arrives, holding none of it; sent once (never resent: part of it may be
   * written). Blocks until the export ends.
   */
  public void exportUsage(YearMonth period, String format, java.io.OutputStream sink) {
    requireNonNull(period, "period");
    requireNonNull(sink, "sink");
    if (!"csv".equals(format) && !"json".equals(format)) {
      throw new IllegalArgumentException("format must be csv or json, was " + format);
    }
    transport.stream("/v1/exports/usage?period=" + period + "&format=" + format, sink);
  }

  /** A page of the audit trail. */
  public EventPage events(EventQuery query) {
    return await(eventsAsync(query));
  }

  /** As {@link #events(EventQuery)}, without blocking. */
  public CompletableFuture<EventPage> eventsAsync(EventQuery query) {
    return send(get(eventsPath(requireNonNull(query, "query")), EventPage.class));
  }

  // Monitoring
  /** Alerts, newest first, filtered by {@code query}. */
  public Alerts alerts(AlertQuery query) {
    return await(alertsAsync(query));
  }

  /** As {@link #alerts(AlertQuery)}, without blocking. */
  public CompletableFuture<Alerts> alertsAsync(AlertQuery query) {
    requireNonNull(query, "query");
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    if (query.state() != null) {
      params.add("state=" + encode(query.state()));
    }
    if (query.subject() != null) {
      params.add("subject=" + encode(query.subject()));
    }
    if (query.metric() != null) {
      params.add("metric=" + encode(query.metric()));
    }
    if (query.limit() != null) {
      params.add("limit=" + query.limit());
    }
    return send(get("/v1/alerts" + params, Alerts.class));
  }

  /** Every threshold rule, with the thresholds that apply where none does. */
  public AlertRules alertRules() {
    return await(alertRulesAsync());
  }

  /** As {@link #alertRules()}, without blocking. */
  public CompletableFuture<AlertRules> alertRulesAsync() {
    return send(get("/v1/alert-rules", AlertRules.class));
  }

  /** The threshold rule {@code name}. */
  public AlertRule alertRule(String name) {
    return await(alertRuleAsync(name));
  }

  /** As {@link #alertRule(String)}, without blocking. */
  public CompletableFuture<AlertRule> alertRuleAsync(String name) {
    return send(get("/v1/alert-rules/" + segment(name, "name"), AlertRule.class));
  }

  /** Creates or replaces the threshold rule {@code name}; it applies to decisions from then on. */
  public AlertRule putAlertRule(String name, AlertRuleRequest request) {
    return await(putAlertRuleAsync(name, request));
  }

  /** As {@link #putAlertRule(String, AlertRuleRequest)}, without blocking. */
  public CompletableFuture<AlertRule> putAlertRuleAsync(String name, AlertRuleRequest request) {
    return send(put("/v1/alert-rules/" + segment(name, "name"), requireNonNull(request, "request"), AlertRule.class));
  }

  /** Deletes the threshold rule {@code name} (a problem {@code not-found} when there is none). */
  public void deleteAlertRule(String name) {
    await(deleteAlertRuleAsync(name));
  }

  /** As {@link #deleteAlertRule(String)}, without blocking. */
  public CompletableFuture<Void> deleteAlertRuleAsync(String name) {
    // Not resent when the outcome is unknown: a second delete would answer 404 for a deleted rule.
    return send(new Call<>("DELETE", "/v1/alert-rules/" + segment(name, "name"), null, null, Replay.ONCE, Void.class));
  }

  /**
   * Follows the live stream ({@code GET /v1/stream}) on a thread of its own, handing each message
   * to {@code listener} in feed order, and resuming with {@code Last-Event-ID} after a dropped
   * connection (see {@link LiveStream}). Close the answer to stop.
   */
  public LiveStream stream(StreamQuery query, Consumer<StreamedMessage> listener) {
    LiveStream stream = new LiveStream(transport, requireNonNull(query, "query"), requireNonNull(listener, "listener"), streamIdleTimeout);
    stream.start();
    return stream;
  }

  /**
   * Stops taking calls and closes the connections, after the exchanges in flight have finished
   * (each within the request timeout). Calls after it fail with {@link IllegalStateException}.
   */
  /** The server's readiness ({@code GET /health/ready}): {@code up} when it takes requests and its database answers; a server that is not ready answers 503, thrown as a {@link QuotientProtocolException}. No key is needed. */
  public Health health() {
    return await(healthAsync());
  }

  /** As {@link #health()}, without blocking. */
  public CompletableFuture<Health> healthAsync() {
    return send(get("/health/ready", Health.class));
  }

  /**
   * True while the circuit breaker is open: the server failed the last attempts and calls fail at
   * once until a probe gets an answer (see {@link Builder#circuitBreaker}). For health checks.
   */
  public boolean isCircuitOpen() {
    return transport.isCircuitOpen();
  }

  @Override
  public void close() {
    transport.close();
  }

  // The plumbing.

  private CompletableFuture<BatchResponse> batchAsyncWithKeys(BatchRequest request) {
    requireNonNull(request, "request");
    requireNonNull(request.requests(), "request.requests");
    String key = newKey();
    List<BatchRequest.Entry> entries = new ArrayList<>(request.requests().size());
    for (int i = 0; i < request.requests().size(); i++) {
      BatchRequest.Entry e = requireNonNull(request.requests().get(i), "request.requests[" + i + "]");
      // Keys are scoped to a subject, so one derived key per entry is unique where it matters.
      entries.add(e.idempotencyKey() != null ? e
          : new BatchRequest.Entry(e.subject(), e.metric(), e.amount(), e.items(), e.metadata(), key + "." + i));
    }
    return send(post("/v1/consume/batch", new BatchRequest(entries), key, Replay.SAFE, BatchResponse.class));
  }

  private <T> CompletableFuture<T> send(Call<T> call) {
    return transport.send(call);
  }

  private <T> Call<T> get(String path, Class<T> answer) {
    return new Call<>("GET", path, null, null, Replay.SAFE, answer);
  }

  private <T> Call<T> put(String path, Object body, Class<T> answer) {
    return new Call<>("PUT", path, write(body), newKey(), Replay.SAFE, answer);
  }

  private <T> Call<T> post(String path, Object body, String idempotencyKey, Replay replay, Class<T> answer) {
    return new Call<>("POST", path, body == null ? null : write(body), idempotencyKey, replay, answer);
  }

  private byte[] write(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the request " + body + " cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String eventsPath(EventQuery query) {
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    if (query.subject() != null) {
      params.add("subject=" + encode(query.subject()));
    }
    if (query.type() != null) {
      params.add("type=" + encode(query.type()));
    }
    if (query.after() != null) {
      params.add("after=" + encode(query.after()));
    }
    if (query.limit() != null) {
      params.add("limit=" + query.limit());
    }
    return "/v1/events" + params;
  }

  /** A key for one logical call, sent by every attempt of it. */
  private static String newKey() {
    return "qc_" + UUID.randomUUID();
  }

  private static String key(String idempotencyKey) {
    requireNonNull(idempotencyKey, "idempotencyKey");
    if (idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("idempotencyKey must not be blank");
    }
    return idempotencyKey;
  }

  /** {@code value} as one path segment: any id is allowed, so everything but unreserved characters is escaped. */
  private static String segment(String value, String name) {
    requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return encode(value);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Waits for {@code future}; its {@link QuotientException} (or other unchecked failure) is thrown as is. */
  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      CancellationException cancelled = new CancellationException("interrupted while waiting for Quotient");
      cancelled.initCause(e);
      throw cancelled;
    }
  }

  /**
   * Settings of a {@link QuotientClient}. Not thread-safe; each {@link #build} makes a new client.
   */
  public static final class Builder {
    private URI url;
    private String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int retries = 2;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private int breakerFailures = 5;
    private Duration breakerOpenFor = Duration.ofSeconds(5);
    private InstantSource clock = InstantSource.system();
    private Duration streamIdleTimeout = Duration.ofSeconds(45);

    private Builder() {}

    /**
     * How long a live stream's connection may bring nothing, not even the server's keep-alive
     * (every 15 s), before it is taken to be dead and opened again from the last cursor; 45 seconds
     * unless set.
     */
    public Builder streamIdleTimeout(Duration timeout) {
      this.streamIdleTimeout = positive(timeout, "streamIdleTimeout");
      return this;
    }

    /** The server's base URL, such as {@code http://localhost:8080} (http or https; a path is kept as the prefix). */
    public Builder url(URI url) {
      requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
        throw new IllegalArgumentException("url must be an http or https URL with a host, was '" + url + "'");
      }
      String s = url.toString();
      this.url = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      return this;
    }

    /** As {@link #url(URI)}. */
    public Builder url(String url) {
      requireNonNull(url, "url");
      try {
        return url(URI.create(url));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("url must be an http or https URL with a host, was '" + url + "'", e);
      }
    }

    /** The API key sent as {@code Authorization: Bearer …}: a service key to enforce, an admin key for everything. */
    public Builder apiKey(String apiKey) {
      requireNonNull(apiKey, "apiKey");
      if (apiKey.isBlank() || !apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("apiKey must be printable characters without spaces");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** How long a connection may take to open; 2 seconds unless set. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** How long one attempt may wait for its answer; 10 seconds unless set. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** How many times a failed call may be sent again (see the class comment of {@link QuotientClient}); 2 unless set, 0 for none. */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("retries must be between 0 and 10, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /**
     * The pause before the first retry, doubled for each later one up to {@code max}, half of it
     * random so that many clients do not retry in step; 100 ms and 2 s unless set.
     */
    public Builder backoff(Duration initial, Duration max) {
      positive(initial, "initial");
      positive(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff " + max + " must not be shorter than the initial " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The circuit breaker: after {@code failures} attempts in a row get no answer (no connection,
     * lost answer, timeout, server or storage unavailable), calls fail at once with a
     * {@link QuotientUnreachableException} ({@code circuitOpen()} true) for {@code openFor}, then
     * one call goes as a probe and its answer closes the breaker; 5 failures and 5 seconds unless
     * set. A server that is down then costs a caller no timeout and no retries.
     */
    public Builder circuitBreaker(int failures, Duration openFor) {
      if (failures < 1 || failures > 1000) {
        throw new IllegalArgumentException("failures must be between 1 and 1000, was " + failures);
      }
      this.breakerOpenFor = positive(openFor, "openFor");
      this.breakerFailures = failures;
      return this;
    }

    /** Sends every call whatever happened to the previous ones: no circuit breaker. */
    public Builder noCircuitBreaker() {
      this.breakerFailures = 0;
      return this;
    }

    /** The time the circuit breaker reads (tests move their own). */
    Builder clock(InstantSource clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A new client.
     *
     * @throws IllegalStateException when the URL or the API key is missing
     */
    public QuotientClient build() {
      if (url == null) {
        throw new IllegalStateException("url is required");
      }
      if (apiKey == null) {
        throw new IllegalStateException("apiKey is required");
      }
      ObjectMapper json = JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // A newer server may add members to its answers; this client reads the ones it knows.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
      HttpClient http = HttpClient.newBuilder()
          .connectTimeout(connectTimeout)
          // The server speaks HTTP/1.1 in clear text; no h2c upgrade dance on every new connection.
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
      return new QuotientClient(
          new Transport(http, json, url, apiKey, requestTimeout, retries, initialBackoff, maxBackoff,
              breakerFailures == 0 ? null : new CircuitBreaker(breakerFailures, breakerOpenFor, clock)), json, streamIdleTimeout);
    }

    private static Duration positive(Duration value, String name) {
      requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
