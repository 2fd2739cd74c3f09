package io.quotient.engine;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.grant.Grant;
import io.quotient.grant.GrantRequest;
import io.quotient.plan.Plan;
import io.quotient.refund.RefundRequest;
import io.quotient.refund.RefundResult;
import io.quotient.reservation.ReservationResult;
import io.quotient.reservation.ReserveRequest;
import io.quotient.status.SubjectStatus;
import io.quotient.subject.Subject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * The quota engine, in process: consume, check, reserve, refund, and the administration of plans,
 * subjects and grants, all on PostgreSQL.
 *
 * <p>Thread-safe; share one instance. Several instances (in one process or many) may use the same
 * database at once: row locks, not process memory, keep them exact.
 */
public final class Quotient implements AutoCloseable {

  /** Starts building an engine on {@code dataSource} (whose schema is migrated, see {@code Database}). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Consumes every item or none. Waits for the durable commit. */
  public ConsumeResult consume(ConsumeRequest request) {
    throw new UnsupportedOperationException();
  }

  /** Like {@link #consume}, completing once the decision is committed. */
  public CompletableFuture<ConsumeResult> consumeAsync(ConsumeRequest request) {
    throw new UnsupportedOperationException();
  }

  /** Decides each request on its own (in order), sharing commits. */
  public List<ConsumeResult> consumeAll(List<ConsumeRequest> requests) {
    throw new UnsupportedOperationException();
  }

  /** The decision a consume would get now; nothing is consumed or recorded. */
  public ConsumeResult check(ConsumeRequest request) {
    throw new UnsupportedOperationException();
  }

  /** Holds units until committed, released or expired. */
  public ConsumeResult reserve(ReserveRequest request) {
    throw new UnsupportedOperationException();
  }

  /**
   * Commits a reservation: {@code actual} amounts (each at most what is held; a metric left out
   * commits 0) count as used, the rest returns. Null or empty {@code actual} commits everything held.
   */
  public ReservationResult commit(String reservationId, Map<String, Long> actual) {
    throw new UnsupportedOperationException();
  }

  /** Releases a reservation: everything it holds returns. */
  public ReservationResult release(String reservationId) {
    throw new UnsupportedOperationException();
  }

  /** Gives back all or part of an earlier granted consume. */
  public RefundResult refund(RefundRequest request) {
    throw new UnsupportedOperationException();
  }

  /** The subject's plan and usage per metric now. Unknown subjects show the default plan, empty. */
  public SubjectStatus status(String subjectId) {
    throw new UnsupportedOperationException();
  }

  /** Creates or updates a plan. */
  public Plan putPlan(Plan plan, String actor) {
    throw new UnsupportedOperationException();
  }

  /** The plan named {@code name}. */
  public Optional<Plan> plan(String name) {
    throw new UnsupportedOperationException();
  }

  /** Every plan, by name. */
  public List<Plan> plans() {
    throw new UnsupportedOperationException();
  }

  /** Creates or updates a subject; a new plan applies at once and the window's usage carries over. */
  public Subject putSubject(Subject subject, String actor) {
    throw new UnsupportedOperationException();
  }

  /** The subject with this id. */
  public Optional<Subject> subject(String id) {
    throw new UnsupportedOperationException();
  }

  /** Grants bonus units. The subject must exist (or is created on the default plan). */
  public Grant grant(GrantRequest request, String actor) {
    throw new UnsupportedOperationException();
  }

  /** The subject's grants, newest first. */
  public List<Grant> grants(String subjectId) {
    throw new UnsupportedOperationException();
  }

  /** Resets the subject's current window of one metric, or of every metric when null. Returns the event id. */
  public long reset(String subjectId, String metric, String actor) {
    throw new UnsupportedOperationException();
  }

  /** A page of the audit trail. */
  public EventPage events(EventQuery query) {
    throw new UnsupportedOperationException();
  }

  /** Deletes idempotency keys older than the retention window; returns how many. */
  public int purgeExpiredIdempotencyKeys() {
    throw new UnsupportedOperationException();
  }

  /** Stops taking requests, finishes the batches in flight, and stops the writers. */
  @Override
  public void close() {}

  /** Builds a {@link Quotient}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private String defaultPlan;
    private Duration idempotencyRetention = Duration.ofHours(24);
    private int maxBatchSize = 4096;
    private int writers = 2;

    private Builder(DataSource dataSource) {
      this.dataSource = java.util.Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The clock windows, expiries and events are computed with. Default: the system's UTC clock. */
    public Builder clock(Clock value) {
      this.clock = java.util.Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The plan unknown subjects start on; without one they are denied with {@code unknown_subject}. */
    public Builder defaultPlan(String value) {
      this.defaultPlan = value;
      return this;
    }

    /** How long idempotency keys are kept. Default 24 hours. */
    public Builder idempotencyRetention(Duration value) {
      this.idempotencyRetention = value;
      return this;
    }

    /** Most requests one batch decides. Default 4096. */
    public Builder maxBatchSize(int value) {
      this.maxBatchSize = value;
      return this;
    }

    /** How many batches may be in flight at once, each on its own connection. Default 2. */
    public Builder writers(int value) {
      this.writers = value;
      return this;
    }

    /** Builds and starts the engine. */
    public Quotient build() {
      throw new UnsupportedOperationException();
    }
  }
}
