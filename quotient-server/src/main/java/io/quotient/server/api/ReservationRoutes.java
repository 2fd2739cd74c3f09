package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.pathId;
import static io.quotient.server.api.Exchange.scope;
import static io.quotient.server.api.Outcomes.decided;
import static io.quotient.server.api.Outcomes.outcome;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.NotFoundException;
import io.quotient.api.ProblemType;
import io.quotient.api.ReserveDecision;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.Reserved;
import io.quotient.engine.Quotient;
import io.quotient.reservation.ReservationResult;
import io.quotient.reservation.ReserveRequest;
import io.quotient.server.auth.Access;
import io.quotient.server.metrics.ServerMetrics;
import io.quotient.server.problem.ProblemException;
import io.quotient.server.signal.Observations;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reservations: hold ({@code POST /v1/reservations}), read ({@code GET /v1/reservations/{id}}),
 * commit and release. A commit speaks like a consume: {@code {"metric","amount"}} or
 * {@code {"items":[…]}} (or the older {@code {"amounts":{…}}}); no body commits everything held.
 */
final class ReservationRoutes {
  private static final Set<String> COMMIT_FIELDS = Set.of("metric", "amount", "items", "amounts");

  private final Quotient engine;
  private final Exchange exchange;
  private final ServerMetrics metrics;
  private final Observations observations;

  ReservationRoutes(Quotient engine, Exchange exchange, ServerMetrics metrics, Observations observations) {
    this.observations = observations;
    this.engine = engine;
    this.exchange = exchange;
    this.metrics = metrics;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/reservations", this::reserve, Access.ENFORCE);
    routes.get("/v1/reservations/{id}", this::get, Access.ENFORCE);
    routes.post("/v1/reservations/{id}/commit", this::commit, Access.ENFORCE);
    routes.post("/v1/reservations/{id}/release", this::release, Access.ENFORCE);
  }

  private void reserve(Context ctx) {
    Set<String> fields = new HashSet<>(Requests.CONSUME_FIELDS);
    fields.add("ttlSeconds");
    Body body = exchange.body(ctx, true).only(fields);
    if (!body.present("ttlSeconds")) {
      throw ProblemException.invalid("ttlSeconds", "is required");
    }
    long ttl = body.optWholeNumber("ttlSeconds", 1, ReserveRequest.MAX_TTL.toSeconds());
    ConsumeRequest consume = Requests.consume(body, Exchange.idempotencyKey(ctx), scope(ctx));
    ReserveRequest request = Body.within("", () -> new ReserveRequest(consume, Duration.ofSeconds(ttl)));
    long start = System.nanoTime();
    ConsumeResult result = engine.reserve(request);
    metrics.decisionTime("reserve", Duration.ofNanos(System.nanoTime() - start));
    Outcomes.report(observations, consume.subject(), result);
    ReserveDecision out;
    if (result instanceof Reserved r) {
      metrics.decision("reserve", "allowed");
      out = ReserveDecision.of(Wire.decision(r.decision()), r.reservationId(), r.expiresAt());
      Exchange.replayed(ctx, r.decision().replayed());
    } else {
      Decision d = decided(result);
      metrics.decision("reserve", outcome(d));
      out = ReserveDecision.of(Wire.decision(d), null, null);
      Exchange.replayed(ctx, d.replayed());
    }
    json(ctx, 200, out);
  }

  private void get(Context ctx) {
    String id = pathId(ctx);
    json(ctx, 200, Wire.reservation(engine.reservation(id).orElseThrow(() -> new NotFoundException("reservation", id))));
  }

  private void commit(Context ctx) {
    String id = pathId(ctx);
    Body body = exchange.body(ctx, false).only(COMMIT_FIELDS);
    Actual actual = actual(body);
    ReservationResult result;
    try {
      result = engine.commit(id, actual.amounts(), scope(ctx));
    } catch (InvalidArgumentException e) {
      throw actual.refusal(e);
    }
    settle(result);
    json(ctx, 200, Wire.settlement(result));
  }

  private void release(Context ctx) {
    String id = pathId(ctx);
    exchange.body(ctx, false).only(Set.of());
    ReservationResult result = engine.release(id, scope(ctx));
    settle(result);
    json(ctx, 200, Wire.settlement(result));
  }

  /** Refuses a reservation that was settled before this call. */
  private static void settle(ReservationResult result) {
    if (result instanceof ReservationResult.Closed c) {
      throw new ProblemException(ProblemType.RESERVATION_CLOSED,
          "reservation " + c.reservationId() + " is already " + c.state().wireName(), null,
          Map.of("state", c.state().wireName()));
    }
  }

  /**
   * The actual amounts of a commit by metric (empty: everything held), and where in the request
   * each metric and amount was named, so that the engine's refusals name the request's own field.
   */
  private record Actual(Map<String, Long> amounts, Map<String, String> metricFields, Map<String, String> amountFields) {

    ProblemException refusal(InvalidArgumentException e) {
      String field = e.field();
      if (field.startsWith("amounts.")) {
        String metric = field.substring("amounts.".length());
        // The engine names the metric; "was not reserved" is about the metric, the rest about its amount.
        Map<String, String> fields = e.reason().startsWith("was not reserved") ? metricFields : amountFields;
        field = fields.getOrDefault(metric, field);
      }
      return ProblemException.invalid(field, e.reason());
    }
  }

  private static Actual actual(Body body) {
    boolean single = body.has("metric") || body.has("amount");
    List<String> forms = new java.util.ArrayList<>();
    if (single) {
      forms.add("metric and amount");
    }
    if (body.has("items")) {
      forms.add("items");
    }
    if (body.has("amounts")) {
      forms.add("amounts");
    }
    if (forms.size() > 1) {
      String second = body.has("amounts") ? "amounts" : "items";
      throw ProblemException.invalid(second, "cannot be given with " + forms.get(0) + "; give one of metric and amount,"
          + " items, or amounts (or no body to commit everything held)");
    }
    Map<String, Long> amounts = new LinkedHashMap<>();
    Map<String, String> metricFields = new LinkedHashMap<>();
    Map<String, String> amountFields = new LinkedHashMap<>();
    if (single) {
      String metric = metric(body, "metric");
      amounts.put(metric, body.wholeNumber("amount", 0, false));
      metricFields.put(metric, "metric");
      amountFields.put(metric, "amount");
    } else if (body.has("items")) {
      List<Body> items = body.objects("items");
      if (items.isEmpty()) {
        throw ProblemException.invalid("items", "must hold at least one item (send no body to commit everything held)");
      }
      for (Body item : items) {
        item.only(Requests.ITEM_FIELDS);
        String metric = metric(item, "metric");
        if (amounts.containsKey(metric)) {
          throw ProblemException.invalid(item.field("metric"), "names " + metric + " a second time");
        }
        amounts.put(metric, item.wholeNumber("amount", 0, false));
        metricFields.put(metric, item.field("metric"));
        amountFields.put(metric, item.field("amount"));
      }
    } else if (body.has("amounts")) {
      Body given = body.object("amounts");
      for (String metric : given.fieldNames()) {
        if (!Names.METRIC.matcher(metric).matches()) {
          throw ProblemException.invalid(given.field(metric), "is not a metric name: must match [a-z0-9_.-]{1,64}");
        }
        amounts.put(metric, given.wholeNumber(metric, 0, false));
      }
    }
    return new Actual(amounts, metricFields, amountFields);
  }

  private static String metric(Body body, String name) {
    String metric = body.string(name);
    if (!Names.METRIC.matcher(metric).matches()) {
      throw ProblemException.invalid(body.field(name), "is not a metric name: must match [a-z0-9_.-]{1,64}, was '" + metric + "'");
    }
    return metric;
  }
}
