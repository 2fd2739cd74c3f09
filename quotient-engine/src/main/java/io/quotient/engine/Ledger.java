package io.quotient.engine;

import io.quotient.EngineFailureException;
import io.quotient.QuotientException;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.DenialReason;
import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.decision.Item;
import io.quotient.decision.ItemDecision;
import io.quotient.decision.Reserved;
import io.quotient.event.Event;
import io.quotient.event.EventType;
import io.quotient.plan.Limit;
import io.quotient.plan.Plan;
import io.quotient.reservation.ReservationState;
import io.quotient.window.Window;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The write path: consumes and reservations are queued, and each writer thread takes everything
 * queued when it becomes free (natural batching: no timer, so no added latency when idle) and
 * decides it as one transaction.
 *
 * <h2>One batch</h2>
 *
 * <ol>
 *   <li>Read the subjects (from the {@link SubjectCache} when it has them; creating unknown ones
 *       on the default plan) and their plans.
 *   <li>Lock every counter row the batch touches in (subject, metric, window) order, creating
 *       missing rows; return holds of expired reservations found on them; lock the subjects'
 *       grants with units left in id order. Writers (in this process or any other) lock in this
 *       same order, so they queue behind each other instead of deadlocking, and no decision is
 *       ever made on a value another writer may still change.
 *   <li>Look up idempotency keys (after the locks: a key stored by a writer that held the same
 *       counters is visible now).
 *   <li>Decide each request in arrival order, in memory ({@link Decider}).
 *   <li>Write counters, grants, events, reservations and keys with set-based statements, commit
 *       once, and only then answer every request of the batch.
 * </ol>
 *
 * <p>Each subject belongs to one writer (by hash), so one subject's requests are decided in the
 * order they arrived, and this instance's writers never wait for each other's locks; the locks
 * are for other instances and for the single-transaction operations.
 *
 * <p>A request is answered only after the commit that records it, so every answer is durable.
 * Reads never go through here and never wait for it.
 */
final class Ledger implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Ledger.class);

  /** A queued request. */
  private record Pending(
      ConsumeRequest request, Duration ttl, String fingerprint, Idempotency.Ref ref, CompletableFuture<ConsumeResult> future) {}

  private final Jdbc jdbc;
  private final Clock clock;
  private final String defaultPlan;
  private final PlanCache plans;
  private final SubjectCache subjectCache;
  private final Decider decider;
  private final EventIds ids;
  private final int maxBatchSize;
  private final List<LinkedBlockingQueue<Pending>> queues = new ArrayList<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
  private final List<Thread> writers = new ArrayList<>();
  private final Quotient.BatchListener listener;
  private final CommittedEvents committedEvents;
  private volatile boolean closed;

  Ledger(
      Jdbc jdbc, Clock clock, String defaultPlan, PlanCache plans, SubjectCache subjectCache, Decider decider,
      EventIds ids, CommittedEvents committedEvents, int writerCount,
      int maxBatchSize, Quotient.BatchListener listener) {
    this.committedEvents = committedEvents;
    this.jdbc = jdbc;
    this.clock = clock;
    this.defaultPlan = defaultPlan;
    this.plans = plans;
    this.subjectCache = subjectCache;
    this.decider = decider;
    this.ids = ids;
    this.maxBatchSize = maxBatchSize;
    this.listener = listener;
    for (int i = 0; i < writerCount; i++) {
      LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
      queues.add(queue);
      Thread writer = Thread.ofPlatform().name("quotient-writer-" + i).daemon(true).unstarted(() -> run(queue));
      writers.add(writer);
      writer.start();
    }
  }

  /** Queues a consume ({@code ttl == null}) or a reservation. */
  CompletableFuture<ConsumeResult> submit(ConsumeRequest request, Duration ttl) {
    CompletableFuture<ConsumeResult> future = new CompletableFuture<>();
    Idempotency.Ref ref = null;
    String fingerprint = null;
    if (request.idempotencyKey() != null) {
      ref = new Idempotency.Ref(request.subject(), request.idempotencyKey());
      fingerprint = Fingerprint.of(request, ttl);
      if (!inFlight.add(ref.inFlightName())) {
        future.complete(new IdempotencyInFlight(request.idempotencyKey()));
        return future;
      }
    }
    admission.readLock().lock();
    try {
      if (closed) {
        if (ref != null) {
          inFlight.remove(ref.inFlightName());
        }
        throw new IllegalStateException("the engine is closed");
      }
      queues.get(Math.floorMod(request.subject().hashCode(), queues.size()))
          .add(new Pending(request, ttl, fingerprint, ref, future));
    } finally {
      admission.readLock().unlock();
    }
    return future;
  }

  private void run(LinkedBlockingQueue<Pending> queue) {
    List<Pending> batch = new ArrayList<>(maxBatchSize);
    while (true) {
      Pending first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatchSize - 1);
      process(batch); // never throws: a failure fails only this batch's requests
      batch.clear();
    }
  }

  /**
   * Decides and commits one batch, then answers it. Never throws: whatever fails (the database, a
   * bug, an {@link Error}) fails only this batch's requests with a {@link QuotientException}, and
   * the writer goes on with the next batch.
   */
  private void process(List<Pending> batch) {
    long started = System.nanoTime();
    List<ConsumeResult> results;
    Attempt read = new Attempt();
    try {
      results = jdbc.inTransaction(c -> decide(c, batch, read));
    } catch (RuntimeException | Error e) {
      abandonRateTokens(read);
      QuotientException failure = failureOf(e);
      for (Pending pending : batch) {
        forget(pending);
        pending.future().completeExceptionally(failure);
      }
      return;
    }
    // Committed: answer first, so that nothing below can keep a caller from its decision.
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      forget(pending);
      pending.future().complete(results.get(i));
    }
    // Only now take the burst-rate tokens (an attempt that rolled back took none) and cache the
    // subject rows (a batch that rolled back may have created subjects that do not exist). The
    // next batch of these subjects runs on this thread, after this.
    decider.commitRateTokens(read.state, read.now);
    committedEvents.add(read.events);
    for (Store.SubjectRow row : read.rows) {
      subjectCache.put(row, read.generation);
    }
    try {
      listener.committed(batch.size(), Duration.ofNanos(System.nanoTime() - started));
    } catch (RuntimeException | Error e) {
      // The batch is committed and answered truthfully; a broken listener (metrics) must neither
      // undo that nor stop the writer. Reported each time it fails, with its stack.
      log.error("the onBatchCommitted listener failed; the batch of {} is committed and answered", batch.size(), e);
    }
  }

  private void abandonRateTokens(Attempt read) {
    if (read.state != null) {
      try {
        decider.abandonRateTokens(read.state, read.now);
      } catch (RuntimeException e) {
        // The tokens stay taken: the limit is only stricter for a moment; the batch's outcome stands.
        log.warn("could not give back the burst-rate tokens of a batch that did not commit", e);
      }
    }
  }

  /** What the callers of a batch that failed are told: a typed error, with the cause. */
  private static QuotientException failureOf(Throwable e) {
    if (e instanceof QuotientException quotient) {
      return quotient;
    }
    return new EngineFailureException(
        "the engine failed deciding this request's batch (" + e + "); nothing of it was applied", e);
  }

  private void forget(Pending pending) {
    if (pending.ref() != null) {
      inFlight.remove(pending.ref().inFlightName());
    }
  }

  /**
   * What a batch's last attempt leaves to apply once it commits, and only then: the subject rows it
   * read (to cache) and the burst-rate tokens its decisions took. An attempt that rolls back to
   * run again is replaced by the next one.
   */
  private static final class Attempt {
    final List<Store.SubjectRow> rows = new ArrayList<>();
    long generation;
    BatchState state;
    Instant now;
    List<Events.Row> events = List.of();
  }

  private List<ConsumeResult> decide(Connection c, List<Pending> batch, Attempt read) throws SQLException {
    abandonRateTokens(read); // an attempt before this one rolled back
    // Whole microseconds, as PostgreSQL keeps them: the decision is made at the instant its event
    // records, and the event reads back equal to what the writer built (see CommittedEvents).
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    read.now = now;
    List<Events.Row> events = new ArrayList<>();
    read.events = events;

    read.rows.clear();
    Map<String, Store.SubjectRow> subjects = subjectsOf(c, batch, now, events, read);

    List<Idempotency.Ref> refs = new ArrayList<>();
    for (Pending pending : batch) {
      if (pending.ref() != null) {
        refs.add(pending.ref());
      }
    }

    int n = batch.size();
    Plan[] planOf = new Plan[n];
    SortedSet<CounterKey> keys = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      ConsumeRequest request = batch.get(i).request();
      Store.SubjectRow subject = subjects.get(request.subject());
      if (subject == null) {
        continue;
      }
      Plan plan = Overrides.apply(plans.get(c, subject.plan(), subject.planVersion()), subject.overrides(), now);
      planOf[i] = plan;
      for (Item item : request.items()) {
        Limit limit = plan.limitOf(item.metric());
        if (limit != null) {
          Window window = Window.of(limit.period(), subject.anchor(), now);
          keys.add(new CounterKey(request.subject(), item.metric(), window.start().toEpochMilli()));
        }
      }
    }

    BatchState state = new BatchState();
    read.state = state;
    Store.loadCounters(c, keys, state, true);
    expireHolds(c, state, now, events);
    List<String> withGrants = new ArrayList<>();
    for (Store.SubjectRow subject : subjects.values()) {
      if (subject.hasGrants()) {
        withGrants.add(subject.id());
      }
    }
    Store.loadGrants(c, withGrants, state, true);
    Map<Idempotency.Ref, Idempotency.Stored> stored = Idempotency.find(c, refs);

    // The requests that will be decided (not replays or mismatches of a stored key), in order.
    List<ConsumeRequest> decided = new ArrayList<>(n);
    List<Plan> decidedPlans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Pending pending = batch.get(i);
      if (pending.ref() == null || stored.get(pending.ref()) == null) {
        decided.add(pending.request());
        decidedPlans.add(planOf[i]);
      }
    }
    decider.prefetchRateTokens(state, decidedPlans, decided, now);

    ConsumeResult[] results = new ConsumeResult[n];
    Map<Integer, Long> replays = new HashMap<>();
    List<Idempotency.Row> newKeys = new ArrayList<>();
    List<Reservations.Row> reservations = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Pending pending = batch.get(i);
      ConsumeRequest request = pending.request();
      if (pending.ref() != null) {
        Idempotency.Stored first = stored.get(pending.ref());
        if (first != null) {
          if (first.fingerprint().equals(pending.fingerprint())) {
            replays.put(i, first.eventId());
          } else {
            results[i] = new IdempotencyMismatch(request.idempotencyKey());
          }
          continue;
        }
      }
      long eventId = ids.next(c);
      Store.SubjectRow subject = subjects.get(request.subject());
      Decision decision;
      if (subject == null) {
        decision = unknownSubject(request, eventId);
      } else {
        Decider.Verdict verdict =
            decider.decide(
                planOf[i], subject.anchor(), request, now, state, pending.ttl() == null ? Decider.Mode.CONSUME : Decider.Mode.RESERVE);
        decision = new Decision(verdict.allowed(), verdict.reason(), eventId, verdict.items(), false);
      }
      String reservationId = null;
      String detail = null;
      if (pending.ttl() != null && decision.allowed()) {
        reservationId = UUID.randomUUID().toString();
        Instant expiresAt = now.plus(pending.ttl());
        reservations.add(reservationRow(reservationId, request, decision, expiresAt, eventId));
        detail = Json.object(Map.of("expiresAt", expiresAt.toString(), "ttlSeconds", Long.toString(pending.ttl().toSeconds())));
        results[i] = new Reserved(reservationId, expiresAt, decision);
      } else {
        results[i] = decision;
      }
      events.add(
          Events.row(eventId, now, pending.ttl() == null ? EventType.CONSUME : EventType.RESERVE)
              .subject(request.subject())
              .decided(decision.allowed(), decision.reason() == null ? null : decision.reason().wireName())
              .actor(request.scope())
              .idempotencyKey(request.idempotencyKey())
              .reservation(reservationId)
              .items(decision.items())
              .metadata(request.metadata().isEmpty() ? null : Json.object(request.metadata()))
              .detail(detail)
              .build());
      if (pending.ref() != null) {
        newKeys.add(new Idempotency.Row(pending.ref(), pending.fingerprint(), eventId));
      }
    }

    Store.writeCounters(c, state.counters());
    Store.writeGrants(c, state.allGrants());
    Events.insert(c, events);
    Reservations.insert(c, reservations, now);
    Idempotency.insert(c, newKeys, now);
    if (!replays.isEmpty()) {
      replay(c, batch, replays, results);
    }
    return List.of(results);
  }

  /** The batch's subjects, creating unknown ones on the default plan when there is one. */
  private Map<String, Store.SubjectRow> subjectsOf(
      Connection c, List<Pending> batch, Instant now, List<Events.Row> events, Attempt fresh) throws SQLException {
    Map<String, Store.SubjectRow> subjects = new HashMap<>();
    Set<String> uncached = new HashSet<>();
    for (Pending pending : batch) {
      String id = pending.request().subject();
      Store.SubjectRow cached = subjectCache.get(id);
      if (cached != null) {
        subjects.put(id, cached);
      } else {
        uncached.add(id);
      }
    }
    if (uncached.isEmpty()) {
      return subjects;
    }
    fresh.generation = subjectCache.generation();
    Map<String, Store.SubjectRow> read = Store.subjects(c, uncached);
    if (read.size() < uncached.size() && defaultPlan != null) {
      List<String> missing = new ArrayList<>();
      for (String id : uncached) {
        if (!read.containsKey(id)) {
          missing.add(id);
        }
      }
      for (String created : Store.createSubjects(c, missing, defaultPlan, now)) {
        events.add(Subjects.createdEvent(this.ids.next(c), now, created, defaultPlan, null));
      }
      read.putAll(Store.subjects(c, missing));
    }
    fresh.rows.addAll(read.values());
    subjects.putAll(read);
    return subjects;
  }

  /** Returns the holds of expired reservations on the locked counters before anything is decided. */
  private void expireHolds(Connection c, BatchState state, Instant now, List<Events.Row> events) throws SQLException {
    Set<String> holding = new HashSet<>();
    for (Counter counter : state.counters()) {
      if (counter.held > 0) {
        holding.add(counter.key.subject());
      }
    }
    if (holding.isEmpty()) {
      return;
    }
    for (Reservations.Row reservation : Reservations.expiredOf(c, holding, now)) {
      Events.Row expired = Holds.expire(c, reservation, state, now, ids);
      if (expired != null) {
        events.add(expired);
      }
    }
  }

  /** The denial of a request for a subject that does not exist (and no default plan). */
  static Decision unknownSubject(ConsumeRequest request, long eventId) {
    List<ItemDecision> items = new ArrayList<>();
    for (Item item : request.items()) {
      items.add(ItemDecision.unmetered(item.metric(), item.amount(), DenialReason.UNKNOWN_SUBJECT));
    }
    return new Decision(false, DenialReason.UNKNOWN_SUBJECT, eventId, items, false);
  }

  private static Reservations.Row reservationRow(
      String id, ConsumeRequest request, Decision decision, Instant expiresAt, long eventId) {
    List<String> metrics = new ArrayList<>();
    List<Long> amounts = new ArrayList<>();
    List<Long> windows = new ArrayList<>();
    for (ItemDecision item : decision.items()) {
      metrics.add(item.metric());
      amounts.add(item.amount());
      windows.add(item.windowStart().toEpochMilli());
    }
    return new Reservations.Row(id, request.subject(), ReservationState.HELD, metrics, amounts, windows, expiresAt, eventId);
  }

  /** Rebuilds the first decision of each retried request from its event. */
  private static void replay(Connection c, List<Pending> batch, Map<Integer, Long> replays, ConsumeResult[] results)
      throws SQLException {
    Map<Long, Event> events = Events.byIds(c, replays.values());
    Map<Long, List<ItemDecision>> items = Events.items(c, replays.values());
    for (Map.Entry<Integer, Long> entry : replays.entrySet()) {
      Event event = events.get(entry.getValue());
      if (event == null) {
        throw new IllegalStateException("idempotency key points at missing event " + entry.getValue());
      }
      Decision decision =
          new Decision(
              Boolean.TRUE.equals(event.allowed()),
              DenialReason.fromWireName(event.reason()),
              event.id(),
              items.getOrDefault(event.id(), List.of()),
              true);
      if (event.reservationId() != null) {
        results[entry.getKey()] =
            new Reserved(event.reservationId(), Instant.parse(event.detail().get("expiresAt")), decision);
      } else {
        results[entry.getKey()] = decision;
      }
    }
    if (batch.size() < replays.size()) {
      throw new IllegalStateException("more replays than requests");
    }
  }

  /** Stops taking requests and waits until every queued one is answered. */
  @Override
  public void close() {
    admission.writeLock().lock();
    try {
      closed = true;
    } finally {
      admission.writeLock().unlock();
    }
    for (Thread writer : writers) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
