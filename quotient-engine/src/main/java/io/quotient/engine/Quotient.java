package io.quotient.engine;

import io.quotient.CallTimeoutException;
import io.quotient.ConflictException;
import io.quotient.EngineFailureException;
import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.NotFoundException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.event.NewEvent;
import io.quotient.feed.Feed;
import io.quotient.grant.Grant;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Plan;
import io.quotient.rate.BurstLimiter;
import io.quotient.refund.RefundRequest;
import io.quotient.refund.RefundResult;
import io.quotient.reservation.Reservation;
import io.quotient.reservation.ReservationResult;
import io.quotient.reservation.ReserveRequest;
import io.quotient.status.SubjectStatus;
import io.quotient.report.OverageReport;
import io.quotient.report.UsageRow;
import io.quotient.subject.LimitOverride;
import io.quotient.subject.Subject;
import io.quotient.transfer.TransferRequest;
import io.quotient.transfer.TransferResult;
import io.quotient.subject.SubjectPage;
import io.quotient.subject.SubjectQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The quota engine, in process: consume, check, reserve, refund, and the administration of plans,
 * subjects and grants, all on PostgreSQL.
 *
 * <p>Consumes and reservations go through the batching {@link Ledger}; settling reservations,
 * refunds, grants, resets and plan changes are single transactions that lock the same rows in the
 * same order; reads ({@link #status}, {@link #check}, {@link #events}, {@link #feed}) take no locks
 * and never block writers (a page at the head of the feed may wait for transactions already running
 * to end).
 *
 * <p>Thread-safe; share one instance. Several instances (in one process or many) may use the same
 * database at once: row locks, not process memory, keep them exact (burst rates excepted: with
 * the default {@link BurstLimiter} each instance enforces those on its own traffic).
 */
public final class Quotient implements AutoCloseable {
  private static final long RECENT_WAIT_MILLIS = 1000;
  private static final int SCAN_FACTOR = 10;
  private static final int PURGE_BATCH = 1000;
  private static final int PURGE_BATCHES_PER_SWEEP = 50;
  private static final Duration EVENT_PURGE_PAUSE = Duration.ofMinutes(1);
  /** The scope of appended events: the monitor's, not a caller's credential. */
  private static final String MONITOR_SCOPE = "monitor";

  private final Jdbc jdbc;
  private final Clock clock;
  private final String defaultPlan;
  private final Duration idempotencyRetention;
  private final Duration eventRetention;
  private final Duration callTimeout;
  private final PlanCache plans = new PlanCache();
  private final SubjectCache subjectCache;
  private final EventIds ids = new EventIds();
  /** The events this engine committed last, which its feed pages hand out without reading their rows. */
  private final CommittedEvents committedEvents;
  private final Decider decider;
  private final Ledger ledger;
  private final Reads reads;
  private final Settlements settlements;
  private final java.util.Set<String> refundsInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Feed feed;
  private final ScheduledExecutorService sweeper;
  /** When the sweeper next purges old events (only its thread reads or writes this). */
  private Instant nextEventPurge = Instant.MIN;

  private Quotient(Builder builder) {
    this.feed = Feed.over(this::feedPage, builder.feedPollInterval);
    this.jdbc = new Jdbc(builder.dataSource, feed::wake);
    this.clock = builder.clock;
    this.defaultPlan = builder.defaultPlan;
    this.idempotencyRetention = builder.idempotencyRetention;
    this.eventRetention = builder.eventRetention;
    this.callTimeout = builder.callTimeout;
    this.subjectCache = new SubjectCache(builder.dataSource);
    this.committedEvents = new CommittedEvents(builder.keptEvents);
    this.decider = new Decider(builder.burstLimiter);
    this.ledger =
        new Ledger(
            jdbc, clock, defaultPlan, plans, subjectCache, decider, ids, committedEvents, builder.writers, builder.maxBatchSize,
            builder.listener);
    this.reads = new Reads(jdbc, clock, plans, decider, defaultPlan);
    this.settlements = new Settlements(jdbc, clock, plans, ids);
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("quotient-sweeper").daemon(true).unstarted(runnable));
    if (builder.sweepInterval != null) {
      long millis = builder.sweepInterval.toMillis();
      sweeper.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Starts building an engine on {@code dataSource} (whose schema is migrated, see {@code Database}).
   * A data source of your own should run {@code SET plan_cache_mode = force_custom_plan} on its
   * connections, as {@code Database}'s do: the batch statements' best plans depend on how many rows
   * each batch carries.
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Consumes every item or none. Waits for the durable commit, at most the
   * {@linkplain Builder#callTimeout call timeout}.
   *
   * @throws io.quotient.CallTimeoutException when no answer came in time: the outcome is unknown;
   *     retry with the same idempotency key
   * @throws io.quotient.StorageException when the database failed the request's batch (nothing
   *     of it was applied)
   * @throws io.quotient.EngineFailureException when the engine failed the request's batch for any
   *     other reason (nothing of it was applied)
   */
  public ConsumeResult consume(ConsumeRequest request) {
    return join(consumeAsync(request), deadline());
  }

  /**
   * Like {@link #consume}, completing once the decision is committed (or exceptionally with the
   * batch's failure). Not bounded by the call timeout: bound it with {@code orTimeout} if needed.
   */
  public CompletableFuture<ConsumeResult> consumeAsync(ConsumeRequest request) {
    Objects.requireNonNull(request, "request");
    return ledger.submit(request, null);
  }

  /** Decides each request on its own (in order), sharing commits; waits at most the call timeout in all. */
  public List<ConsumeResult> consumeAll(List<ConsumeRequest> requests) {
    long deadline = deadline();
    List<CompletableFuture<ConsumeResult>> futures = new ArrayList<>(requests.size());
    for (ConsumeRequest request : requests) {
      futures.add(consumeAsync(request));
    }
    List<ConsumeResult> results = new ArrayList<>(futures.size());
    for (CompletableFuture<ConsumeResult> future : futures) {
      results.add(join(future, deadline));
    }
    return results;
  }

  /** The decision a consume would get now; nothing is consumed or recorded (the event id is 0). */
  public ConsumeResult check(ConsumeRequest request) {
    Objects.requireNonNull(request, "request");
    return reads.check(request);
  }

  /** Holds units until committed, released or expired. Waits at most the call timeout, like {@link #consume}. */
  public ConsumeResult reserve(ReserveRequest request) {
    Objects.requireNonNull(request, "request");
    return join(ledger.submit(request.consume(), request.ttl()), deadline());
  }

  /**
   * Commits a reservation: {@code actual} amounts (each at most what is held; a metric left out
   * commits 0) count as used, the rest returns. Null or empty {@code actual} commits everything
   * held. An expired reservation cannot be committed: its holds return and the answer is
   * {@link ReservationResult.Closed} with state {@code expired}.
   */
  public ReservationResult commit(String reservationId, Map<String, Long> actual) {
    return settlements.commit(reservationId, actual == null ? Map.of() : actual, ConsumeRequest.DEFAULT_SCOPE);
  }

  /** Like {@link #commit(String, Map)}, recording {@code actor} as the caller. */
  public ReservationResult commit(String reservationId, Map<String, Long> actual, String actor) {
    return settlements.commit(reservationId, actual == null ? Map.of() : actual, actor);
  }

  /** Releases a reservation: everything it holds returns. */
  public ReservationResult release(String reservationId) {
    return settlements.release(reservationId, ConsumeRequest.DEFAULT_SCOPE);
  }

  /** Like {@link #release(String)}, recording {@code actor} as the caller. */
  public ReservationResult release(String reservationId, String actor) {
    return settlements.release(reservationId, actor);
  }

  /** The reservation {@code reservationId} as it stands; empty when there is none. Takes no locks. */
  public Optional<Reservation> reservation(String reservationId) {
    Names.requireId(reservationId, "reservationId");
    return Optional.ofNullable(jdbc.read(c -> Reservations.view(c, reservationId, clock.instant())));
  }

  /**
   * Gives back all or part of an earlier granted consume. With a {@linkplain
   * RefundRequest#requestKey() key of its own}, a retry replays the first refund
   * ({@link RefundResult.Refunded#replayed()}), one with other parameters is
   * {@link RefundResult.KeyMismatch}, and one while the first is still running in this engine is
   * {@link RefundResult.KeyInFlight}.
   */
  public RefundResult refund(RefundRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.requestKey() == null) {
      return jdbc.inTransaction(c -> Refunds.refund(c, request, clock.instant(), ids));
    }
    // The subject is known only once the consume is read; the same parameters name the same
    // consume, so retries of one refund meet here. Other engines meet in the database.
    String inFlight = Refunds.fingerprint(request) + '\u0000' + request.requestKey();
    if (!refundsInFlight.add(inFlight)) {
      return new RefundResult.KeyInFlight(request.requestKey());
    }
    try {
      return jdbc.inTransaction(c -> Refunds.refund(c, request, clock.instant(), ids));
    } finally {
      refundsInFlight.remove(inFlight);
    }
  }

  /** The subject's plan and usage per metric now. Unknown subjects show the default plan, empty. */
  public SubjectStatus status(String subjectId) {
    Names.requireId(subjectId, "subject");
    return reads.status(subjectId);
  }

  /**
   * The plan and usage of each subject now, as {@link #status} answers it, read in one snapshot
   * with one statement per table however many subjects there are (a projection re-reading
   * thousands of subjects makes one round of reads, not thousands). Subjects that {@code status}
   * would refuse as not found are left out of the map.
   */
  public Map<String, SubjectStatus> statuses(Collection<String> subjectIds) {
    for (String id : subjectIds) {
      Names.requireId(id, "subject");
    }
    return subjectIds.isEmpty() ? Map.of() : reads.statuses(subjectIds);
  }

  /** Creates or updates a plan; subjects on it use the new limits from their next request. */
  public Plan putPlan(Plan plan, String actor) {
    Objects.requireNonNull(plan, "plan");
    jdbc.inTransaction(
        c -> {
          Instant now = clock.instant();
          long version = Plans.put(c, plan, now);
          Events.insert(c, List.of(Plans.changedEvent(ids.next(c), now, plan, version, actor)));
          SubjectCache.announce(c, SubjectCache.ALL);
          return plan;
        });
    subjectCache.invalidate(SubjectCache.ALL);
    return plan;
  }

  /** Like {@link #putPlan(Plan, String)} with no actor. */
  public Plan putPlan(Plan plan) {
    return putPlan(plan, ConsumeRequest.DEFAULT_SCOPE);
  }

  /** The plan named {@code name}. */
  public Optional<Plan> plan(String name) {
    Names.requireName(name, "name");
    return Optional.ofNullable(jdbc.read(c -> plans.latest(c, name)));
  }

  /** Every plan, by name. */
  public List<Plan> plans() {
    return jdbc.read(
        c -> {
          List<Plan> all = new ArrayList<>();
          for (String name : Store.planNames(c)) {
            Plan plan = plans.latest(c, name);
            if (plan != null) {
              all.add(plan);
            }
          }
          return all;
        });
  }

  /**
   * Creates or updates a subject. A new plan applies at once; usage already counted in the current
   * windows carries over (windows depend on the period, not the plan).
   */
  public Subject putSubject(Subject subject, String actor) {
    return putSubject(subject, null, actor);
  }

  /**
   * Creates or updates a subject and, unless {@code overrides} is null, replaces its overrides
   * with them (empty removes them all), in one transaction. Each override's metric must be in the
   * subject's plan; its limit wins over the plan's from the next request until it is removed or
   * expires. A change of overrides is recorded as an {@code override} event.
   *
   * @throws InvalidArgumentException naming {@code overrides.<metric>} for a metric not in the
   *     plan, or an expiry that is not in the future
   */
  public Subject putSubject(Subject subject, Map<String, LimitOverride> overrides, String actor) {
    Objects.requireNonNull(subject, "subject");
    jdbc.inTransaction(
        c -> {
          Plan plan = plans.require(c, subject.plan());
          Instant now = clock.instant();
          if (overrides != null) {
            overrides.forEach((metric, override) -> {
              Names.requireName(metric, "overrides");
              InvalidArgumentException.require(override != null, "overrides." + metric, "is required");
              InvalidArgumentException.require(plan.limitOf(metric) != null, "overrides." + metric,
                  "'" + metric + "' is not in plan '" + plan.name() + "'");
              InvalidArgumentException.require(override.expiresAt() == null || override.expiresAt().isAfter(now),
                  "overrides." + metric + ".expiresAt", "must be in the future");
            });
          }
          String before = Subjects.put(c, subject, now);
          List<Events.Row> events = new ArrayList<>();
          if (!subject.plan().equals(before)) {
            events.add(Subjects.changedEvent(ids.next(c), now, subject.id(), before, subject.plan(), actor));
          }
          if (overrides != null) {
            Map<String, LimitOverride> previous = Overrides.of(c, subject.id());
            if (!previous.equals(overrides)) {
              Overrides.replace(c, subject.id(), overrides, now);
              events.add(Overrides.changedEvent(ids.next(c), now, subject.id(), previous, overrides, actor));
            }
          }
          if (!events.isEmpty()) {
            Events.insert(c, events);
          }
          SubjectCache.announce(c, subject.id());
          return subject;
        });
    subjectCache.invalidate(subject.id());
    return subject;
  }

  /** The overrides of each of {@code subjectIds} that has any. */
  public Map<String, Map<String, LimitOverride>> overrides(java.util.Collection<String> subjectIds) {
    subjectIds.forEach(id -> Names.requireId(id, "subject"));
    return jdbc.read(c -> Overrides.of(c, subjectIds));
  }

  /** The subject's overrides by metric (expired ones included until replaced: they no longer apply). */
  public Map<String, LimitOverride> overrides(String subjectId) {
    Names.requireId(subjectId, "subject");
    return jdbc.read(c -> Overrides.of(c, subjectId));
  }

  /** Like {@link #putSubject(Subject, String)} with no actor. */
  public Subject putSubject(Subject subject) {
    return putSubject(subject, ConsumeRequest.DEFAULT_SCOPE);
  }

  /** The subject with this id. */
  public Optional<Subject> subject(String id) {
    Names.requireId(id, "subject");
    return Optional.ofNullable(jdbc.read(c -> Subjects.find(c, id)));
  }

  /**
   * A page of subjects in id order, filtered by {@code query}. Usage filters ({@link
   * SubjectQuery#minShare()}) read each candidate's current windows, so a page looks at no more
   * than {@value #SCAN_FACTOR} times the asked number of rows: it may come back short, with a
   * cursor to go on from.
   */
  public SubjectPage subjects(SubjectQuery query) {
    Objects.requireNonNull(query, "query");
    List<Subject> matched = new ArrayList<>();
    String after = query.after();
    int budget = query.minShare() == null ? query.limit() : query.limit() * SCAN_FACTOR;
    while (true) {
      int chunk = Math.min(query.limit() + 1, budget + 1);
      String from = after;
      List<Subject> rows = jdbc.read(c -> Subjects.page(c, query, from, chunk));
      for (int i = 0; i < rows.size() && i < chunk - 1; i++) {
        Subject subject = rows.get(i);
        after = subject.id();
        budget--;
        if (query.minShare() == null || reads.atShare(subject.id(), query.minShare())) {
          matched.add(subject);
          if (matched.size() == query.limit()) {
            boolean more = i + 1 < rows.size();
            return new SubjectPage(matched, more ? after : null);
          }
        }
      }
      if (rows.size() < chunk) {
        return new SubjectPage(matched, null);
      }
      if (budget <= 0) {
        return new SubjectPage(matched, after);
      }
    }
  }

  /**
   * Deletes a subject: its plan, counters, grants, open reservations and idempotency keys go; its
   * events stay in the audit trail, followed by a {@code subject_delete} event. A later consume
   * for the same id starts afresh (on the default plan, if there is one).
   *
   * @throws NotFoundException when there is no such subject
   */
  public void deleteSubject(String id, String actor) {
    Names.requireId(id, "subject");
    jdbc.inTransaction(
        c -> {
          String plan = Subjects.delete(c, id);
          if (plan == null) {
            throw new NotFoundException("subject", id);
          }
          Events.insert(c, List.of(Subjects.deletedEvent(ids.next(c), clock.instant(), id, plan, actor)));
          SubjectCache.announce(c, id);
          return plan;
        });
    subjectCache.invalidate(id);
  }

  /**
   * Deletes a plan.
   *
   * @throws NotFoundException when there is no such plan
   * @throws ConflictException ({@link ConflictException.Kind#PLAN_IN_USE}) while subjects are on
   *     it, or when it is the default plan
   */
  public void deletePlan(String name, String actor) {
    Names.requireName(name, "name");
    if (name.equals(defaultPlan)) {
      throw new ConflictException(
          ConflictException.Kind.PLAN_IN_USE, "plan '" + name + "' is the default plan new subjects start on");
    }
    jdbc.inTransaction(
        c -> {
          if (!Plans.delete(c, name)) {
            throw new NotFoundException("plan", name);
          }
          Events.insert(c, List.of(Plans.deletedEvent(ids.next(c), clock.instant(), name, actor)));
          SubjectCache.announce(c, SubjectCache.ALL);
          return name;
        });
    subjectCache.invalidate(SubjectCache.ALL);
  }

  /**
   * Moves units of one metric from one subject to another at once (see {@link TransferRequest}):
   * both sides are recorded as {@code transfer} events. With an idempotency key, a retry replays
   * the first transfer and moves nothing more.
   *
   * @throws ConflictException ({@link ConflictException.Kind#INSUFFICIENT_UNITS}) when {@code from}
   *     has fewer units left (allowance and grants) than the transfer moves; nothing moved
   * @throws NotFoundException when {@code from} does not exist, or {@code to} does not and there is
   *     no default plan
   * @throws InvalidArgumentException when the metric is not in both subjects' plans
   */
  public TransferResult transfer(TransferRequest request, String actor) {
    Objects.requireNonNull(request, "request");
    TransferResult result =
        jdbc.inTransaction(c -> Transfers.transfer(c, request, actor, plans, defaultPlan, clock.instant(), ids));
    subjectCache.invalidate(request.to());
    return result;
  }

  /**
   * The overage of a calendar month (UTC): per subject and metric, the units counted past soft
   * limits in the windows that start in the month, priced with the plan's overage price and rounded
   * half-up to the currency's minor unit, with totals per currency. A line is final once every
   * window it counts has ended, provisional before.
   */
  public OverageReport overageReport(YearMonth period) {
    Objects.requireNonNull(period, "period");
    return jdbc.read(c -> Reports.overage(c, plansByName(c), period, clock.instant()));
  }

  /**
   * Hands every subject × metric × window of a calendar month (UTC) that counted usage to {@code
   * sink}, in subject, metric, window order, reading them from the database a page at a time
   * through a cursor: memory stays flat whatever the number of rows. Returns how many. A {@code
   * sink} that throws stops the export.
   */
  public long exportUsage(YearMonth period, Consumer<UsageRow> sink) {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(sink, "sink");
    return jdbc.readThroughCursor(c -> Reports.export(c, plansByName(c), period, sink));
  }

  private Map<String, Plan> plansByName(Connection c) throws SQLException {
    Map<String, Plan> all = new java.util.HashMap<>();
    for (String name : Store.planNames(c)) {
      Plan plan = plans.latest(c, name);
      if (plan != null) {
        all.put(name, plan);
      }
    }
    return all;
  }

  /** Grants bonus units. An unknown subject is created on the default plan, or refused without one. */
  public Grant grant(GrantRequest request, String actor) {
    Objects.requireNonNull(request, "request");
    Grant granted = jdbc.inTransaction(
        c -> {
          Instant now = clock.instant();
          List<Events.Row> events = new ArrayList<>();
          ensureSubject(c, request.subject(), now, actor, events);
          Grant grant = Grants.insert(c, request, now);
          events.add(Grants.grantedEvent(ids.next(c), grant, actor));
          Events.insert(c, events);
          SubjectCache.announce(c, request.subject());
          return grant;
        });
    subjectCache.invalidate(request.subject());
    return granted;
  }

  /** Like {@link #grant(GrantRequest, String)} with no actor. */
  public Grant grant(GrantRequest request) {
    return grant(request, ConsumeRequest.DEFAULT_SCOPE);
  }

  /** The subject's grants, newest first. */
  public List<Grant> grants(String subjectId) {
    Names.requireId(subjectId, "subject");
    return jdbc.read(c -> Grants.of(c, subjectId));
  }

  /**
   * Resets the subject's current window of one metric, or of every metric of its plan when
   * {@code metric} is null: usage starts again from zero (open holds stay). Returns the event id.
   */
  public long reset(String subjectId, String metric, String actor) {
    Names.requireId(subjectId, "subject");
    if (metric != null) {
      Names.requireName(metric, "metric");
    }
    return jdbc.inTransaction(c -> Resets.reset(c, subjectId, metric, actor, plans, clock.instant(), ids));
  }

  /**
   * A page of the feed: committed events after {@code query.after()} in feed order, filtered by
   * subject and type. Follow it by asking again with {@link EventPage#nextCursor()}: every committed
   * event comes exactly once, in an order that never changes, whatever the number of writers and
   * engine instances.
   *
   * <p>An event is served once every transaction that began before its own has ended. So that a
   * caller sees what it has just written, a page that reaches the head of the feed waits (up to
   * {@value #RECENT_WAIT_MILLIS} ms, normally the length of one batch) for the transactions running
   * when the call began; past that it answers with what is final, and the rest comes on a later page.
   */
  public EventPage events(EventQuery query) {
    Objects.requireNonNull(query, "query");
    long began = jdbc.read(Events::horizon).end();
    Events.FeedPage read = jdbc.read(c -> Events.page(c, query, committedEvents));
    if (read.page().events().size() == query.limit() || read.horizon() >= began) {
      return read.page();
    }
    // At the head, below transactions that were running when the call began: wait for them by
    // polling the horizon alone (a cheap statement, no connection held in between), then read again.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECENT_WAIT_MILLIS);
    while (jdbc.read(Events::horizon).horizon() < began && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return jdbc.read(c -> Events.page(c, query, committedEvents)).page();
  }

  /**
   * A page of the feed read on the caller's connection, inside the caller's transaction: for a
   * reader that keeps its cursor in the same database and moves it in the same transaction as what
   * it does with the page (the monitor's projections), so that each event is handled exactly once.
   * Unlike {@link #events(EventQuery)} it never waits at the head: what is not final yet comes on a
   * later page. (The caller's own transaction, once it has an id, holds the page's horizon at or
   * below it: events appended in it come on a later page, after the commit.)
   */
  public EventPage events(Connection connection, EventQuery query) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(query, "query");
    return jdbc.on(connection, c -> Events.page(c, query, committedEvents)).page();
  }

  /**
   * The feed's position now: following from it gives the events that become final from now on
   * (and, at most, a few that committed moments ago while an older transaction was still running),
   * none of the history before.
   */
  public io.quotient.feed.FeedCursor head() {
    return new io.quotient.feed.FeedCursor(jdbc.read(Events::horizon).horizon(), 0);
  }

  /**
   * Adds an event to the feed inside the caller's transaction on {@code connection} (one of this
   * engine's database): it is part of the feed once, and only if, that transaction commits. For the
   * monitor, whose alerts and signals must be written atomically with the cursor that caused them.
   * Returns the event's id. Call {@link #feedChanged()} after the commit so that this instance's
   * followers read it at once.
   */
  public long append(Connection connection, NewEvent event) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(event, "event");
    return jdbc.on(connection, c -> {
      long id = ids.next(c);
      Events.insert(
          c,
          List.of(
              Events.row(id, event.at(), event.type())
                  .subject(event.subject())
                  .actor(MONITOR_SCOPE)
                  .detail(Json.object(event.detail()))
                  .build()));
      return id;
    });
  }

  /**
   * Something was committed to the feed outside this engine's own write path (after a transaction
   * that {@linkplain #append appended} events): wakes this instance's followers.
   */
  public void feedChanged() {
    feed.wake();
  }

  /**
   * Calls {@code listener} whenever this engine commits to the feed (and at {@link #feedChanged}),
   * on the committing thread: it must be as cheap as an unpark and never block. Other instances'
   * commits are not announced: a reader that needs them polls too. Closing the handle stops it.
   */
  public AutoCloseable onFeedCommit(Runnable listener) {
    return feed.onWake(listener);
  }

  /** A page for a subscription, which polls and is woken by commits: it never waits inside a read. */
  private EventPage feedPage(EventQuery query) {
    return jdbc.read(c -> Events.page(c, query, committedEvents)).page();
  }

  /**
   * The feed after {@code from.after()}, filtered by {@code from}'s subject and type, as a
   * publisher with backpressure: each subscriber gets every matching committed event in feed order,
   * no more than it requested, on a thread of the feed's own, within milliseconds of the commit
   * (this engine's commits wake it; other instances' are found by polling). Resume from the last
   * event's {@link io.quotient.event.Event#cursor()}. Closing the engine completes it.
   */
  public Flow.Publisher<io.quotient.event.Event> feed(EventQuery from) {
    return feed.publisher(from);
  }

  /** Deletes idempotency keys older than the retention window; returns how many. */
  public int purgeExpiredIdempotencyKeys() {
    Instant cutoff = clock.instant().minus(idempotencyRetention);
    int total = 0;
    while (true) {
      int purged = jdbc.inTransaction(c -> Idempotency.purge(c, cutoff, 10_000));
      total += purged;
      if (purged < 10_000) {
        return total;
      }
    }
  }

  /**
   * Deletes events older than the {@linkplain Builder#eventRetention retention} in batches of
   * {@value #PURGE_BATCH}, each its own short transaction on the sweeper's thread (never a writer's),
   * at most {@value #PURGE_BATCHES_PER_SWEEP} batches a call so that a first sweep over years of
   * events does not hold a connection for long; counters and grants stay. Returns how many.
   */
  public int purgeOldEvents() {
    if (eventRetention == null) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(eventRetention);
    jdbc.inTransaction(c -> {
      Events.summarizeAges(c);
      return null;
    });
    int total = 0;
    for (int i = 0; i < PURGE_BATCHES_PER_SWEEP; i++) {
      int purged = jdbc.inTransaction(c -> Events.purgeOlderThan(c, cutoff, PURGE_BATCH));
      total += purged;
      if (purged < PURGE_BATCH) {
        break;
      }
    }
    return total;
  }

  /** Returns the holds of reservations that expired by now; returns how many. */
  public int expireReservations() {
    return settlements.expireDue();
  }

  private void sweepQuietly() {
    // A failed sweep is retried at the next tick; the expiry itself is also applied lazily by
    // every batch and read that meets an expired hold, so nothing waits on this thread.
    try {
      expireReservations();
      purgeExpiredIdempotencyKeys();
      // Events expire by days: a purge a minute is enough unless the last one was cut short.
      if (!clock.instant().isBefore(nextEventPurge)) {
        int purged = purgeOldEvents();
        nextEventPurge = purged == PURGE_BATCH * PURGE_BATCHES_PER_SWEEP ? Instant.MIN : clock.instant().plus(EVENT_PURGE_PAUSE);
      }
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Quotient.class).warn("background sweep failed; retrying later", e);
    }
  }

  /**
   * True while this engine hears the changes other engines make to subjects and plans (its
   * listening connection is up and a keep-alive round trip proved it alive in the last seconds),
   * and so may keep subject rows in memory; when false it reads them from the database every time.
   */
  public boolean listening() {
    return subjectCache.isListening();
  }

  /** Stops taking requests, answers everything queued, and stops the writers. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    ledger.close();
    feed.close();
    subjectCache.close();
  }

  private void ensureSubject(Connection c, String id, Instant now, String actor, List<Events.Row> events) throws SQLException {
    if (Subjects.find(c, id) != null) {
      return;
    }
    if (defaultPlan == null) {
      throw new NotFoundException("subject", id);
    }
    for (String created : Store.createSubjects(c, List.of(id), defaultPlan, now)) {
      events.add(Subjects.createdEvent(ids.next(c), now, created, defaultPlan, actor));
    }
  }

  /** Waits for {@code future} until {@code deadline} (a {@link System#nanoTime()} value). */
  private <T> T join(CompletableFuture<T> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new CallTimeoutException(callTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallTimeoutException(Duration.ofNanos(callTimeout.toNanos() - Math.max(0, deadline - System.nanoTime())));
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new EngineFailureException("the engine failed: " + e.getCause(), e.getCause());
    }
  }

  private long deadline() {
    return System.nanoTime() + callTimeout.toNanos();
  }

  /**
   * Told about each batch the write path commits, after its requests are answered; must be fast.
   * If it throws, the failure is logged (with its stack) and the writer goes on: the batch is
   * committed, and its callers have their decisions.
   */
  @FunctionalInterface
  public interface BatchListener {
    /**
     * One batch committed.
     *
     * @param size requests decided in it
     * @param elapsed from taking the batch off the queue to its commit
     */
    void committed(int size, Duration elapsed);
  }

  /** Builds a {@link Quotient}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private String defaultPlan;
    private Duration idempotencyRetention = Duration.ofHours(24);
    private Duration eventRetention = Duration.ofDays(400);
    private int maxBatchSize = 4096;
    private int writers = 2;
    private int keptEvents = CommittedEvents.DEFAULT_CAPACITY;
    private Duration sweepInterval = Duration.ofSeconds(1);
    private BatchListener listener = (size, elapsed) -> {};
    private Duration callTimeout = Duration.ofSeconds(30);
    private Duration feedPollInterval = Duration.ofMillis(50);
    private BurstLimiter burstLimiter = BurstLimiter.inProcess();

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The clock windows, expiries and events are computed with. Default: the system's UTC clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The plan unknown subjects start on; without one they are denied with {@code unknown_subject}. */
    public Builder defaultPlan(String value) {
      this.defaultPlan = value == null ? null : Names.requireName(value, "defaultPlan");
      return this;
    }

    /** How long idempotency keys are kept. Default 24 hours. */
    public Builder idempotencyRetention(Duration value) {
      InvalidArgumentException.require(
          value != null && !value.isNegative() && !value.isZero(), "idempotencyRetention", "must be positive");
      this.idempotencyRetention = value;
      return this;
    }

    /**
     * How long events (the audit trail) are kept; older ones are deleted by the sweeper in small
     * batches. Counters, grants and rollups stay. Null keeps every event. Default 400 days.
     */
    public Builder eventRetention(Duration value) {
      InvalidArgumentException.require(value == null || (!value.isNegative() && !value.isZero()), "eventRetention",
          "must be positive, or null to keep every event");
      this.eventRetention = value;
      return this;
    }

    /** Most requests one batch decides. Default 4096. */
    public Builder maxBatchSize(int value) {
      InvalidArgumentException.require(value >= 1 && value <= 65_536, "maxBatchSize", "must be between 1 and 65536");
      this.maxBatchSize = value;
      return this;
    }

    /**
     * How many of the events it committed last the engine keeps in memory, so that readers of the
     * feed (the monitor's projections, the stream) get them without reading their rows: rounded up
     * to a power of two, 0 for none. Default 131,072: about five seconds of a loaded engine, which
     * the monitor's rollups (stepping every few seconds) need; each kept event costs a few hundred
     * bytes of heap.
     */
    public Builder keptEvents(int value) {
      InvalidArgumentException.require(value >= 0 && value <= 1 << 24, "keptEvents", "must be between 0 and 16777216");
      this.keptEvents = value;
      return this;
    }

    /** How many batches may be in flight at once, each on its own connection. Default 2. */
    public Builder writers(int value) {
      InvalidArgumentException.require(value >= 1 && value <= 64, "writers", "must be between 1 and 64");
      this.writers = value;
      return this;
    }

    /**
     * How often expired reservations and old idempotency keys are swept in the background (events
     * past the retention once a minute at most); null turns the sweeper off (expiry still happens
     * lazily). Default 1 second.
     */
    public Builder sweepInterval(Duration value) {
      this.sweepInterval = value;
      return this;
    }

    /**
     * How long {@code consume}, {@code consumeAll} and {@code reserve} wait for their answer before
     * they throw {@link io.quotient.CallTimeoutException} (the outcome is then unknown; retry with
     * the same idempotency key). Default 30 seconds: far above a batch's commit, short enough that
     * a caller stuck behind a lock or a stalled database gets an answer.
     */
    public Builder callTimeout(Duration value) {
      InvalidArgumentException.require(
          value != null && !value.isNegative() && !value.isZero(), "callTimeout", "must be positive");
      this.callTimeout = value;
      return this;
    }

    /**
     * Where burst-rate tokens are taken. Default {@link BurstLimiter#inProcess()}: buckets in this
     * engine's memory, so each instance enforces rates on its own traffic; {@code quotient-redis}
     * shares them between instances. The engine does not close it.
     */
    public Builder burstLimiter(BurstLimiter value) {
      this.burstLimiter = Objects.requireNonNull(value, "burstLimiter");
      return this;
    }

    /** Told about every committed batch, on the writer's thread (for metrics). */
    public Builder onBatchCommitted(BatchListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * How often a caught-up feed subscription looks for events other engine instances committed
     * (this engine's own commits wake it at once). Default 50 ms.
     */
    public Builder feedPollInterval(Duration value) {
      InvalidArgumentException.require(
          value != null && !value.isNegative() && !value.isZero(), "feedPollInterval", "must be positive");
      this.feedPollInterval = value;
      return this;
    }

    /** Builds and starts the engine. */
    public Quotient build() {
      return new Quotient(this);
    }
  }
}
