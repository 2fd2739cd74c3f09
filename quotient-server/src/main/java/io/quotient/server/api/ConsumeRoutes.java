package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.scope;
import static io.quotient.server.api.Outcomes.decided;
import static io.quotient.server.api.Outcomes.outcome;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.api.BatchResponse;
import io.quotient.api.BatchResult;
import io.quotient.api.ProblemType;
import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.decision.Reserved;
import io.quotient.engine.Quotient;
import io.quotient.server.auth.Access;
import io.quotient.server.metrics.ServerMetrics;
import io.quotient.server.problem.ProblemException;
import io.quotient.server.signal.Observations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Deciding quota: {@code POST /v1/consume}, {@code /v1/check} and {@code /v1/consume/batch}. */
final class ConsumeRoutes {
  private final Quotient engine;
  private final Exchange exchange;
  private final ServerMetrics metrics;
  private final int maxBatchRequests;
  private final Observations observations;

  ConsumeRoutes(Quotient engine, Exchange exchange, ServerMetrics metrics, int maxBatchRequests, Observations observations) {
    this.observations = observations;
    this.engine = engine;
    this.exchange = exchange;
    this.metrics = metrics;
    this.maxBatchRequests = maxBatchRequests;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/consume", this::consume, Access.ENFORCE);
    routes.post("/v1/check", this::check, Access.ENFORCE);
    routes.post("/v1/consume/batch", this::batch, Access.ENFORCE);
  }

  private void consume(Context ctx) {
    Body body = exchange.body(ctx, true).only(Requests.CONSUME_FIELDS);
    ConsumeRequest request = Requests.consume(body, Exchange.idempotencyKey(ctx), scope(ctx));
    long start = System.nanoTime();
    ConsumeResult result = engine.consume(request);
    metrics.decisionTime("consume", Duration.ofNanos(System.nanoTime() - start));
    Outcomes.report(observations, request.subject(), result);
    Decision decision = decided(result);
    metrics.decision("consume", outcome(decision));
    Exchange.replayed(ctx, decision.replayed());
    json(ctx, 200, Wire.decision(decision));
  }

  private void check(Context ctx) {
    Body body = exchange.body(ctx, true).only(Requests.CONSUME_FIELDS);
    ConsumeRequest request = Requests.consume(body, null, scope(ctx));
    Decision decision = decided(engine.check(request));
    metrics.decision("check", outcome(decision));
    json(ctx, 200, Wire.decision(decision));
  }

  private void batch(Context ctx) {
    Body body = exchange.body(ctx, true).only(Set.of("requests"));
    int size = body.arraySize("requests");
    if (size > maxBatchRequests) {
      throw new ProblemException(ProblemType.BATCH_TOO_LARGE,
          "requests holds " + size + " requests; at most " + maxBatchRequests + " are accepted", "requests");
    }
    List<Body> elements = body.objects("requests");
    if (elements.isEmpty()) {
      throw ProblemException.invalid("requests", "must hold at least one request");
    }
    metrics.batch(elements.size());
    Set<String> fields = new HashSet<>(Requests.CONSUME_FIELDS);
    fields.add("idempotencyKey");
    List<ConsumeRequest> requests = new ArrayList<>(elements.size());
    for (Body element : elements) {
      element.only(fields);
      String key = element.optString("idempotencyKey");
      if (key != null) {
        Body.within(element.path(), () -> Names.requireId(key, "idempotencyKey"));
      }
      requests.add(Requests.consume(element, key, scope(ctx)));
    }
    long start = System.nanoTime();
    List<ConsumeResult> results = engine.consumeAll(requests);
    metrics.decisionTime("batch", Duration.ofNanos(System.nanoTime() - start));
    List<BatchResult> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      String keyField = elements.get(i).field("idempotencyKey");
      Outcomes.report(observations, requests.get(i).subject(), results.get(i));
      switch (results.get(i)) {
        case Decision d -> {
          metrics.decision("batch", outcome(d));
          out.add(BatchResult.Decided.of(Wire.decision(d), d.replayed()));
        }
        case IdempotencyMismatch m -> out.add(new BatchResult.Failed(Outcomes.mismatch(m, keyField).problem()));
        case IdempotencyInFlight f -> out.add(new BatchResult.Failed(Outcomes.inFlight(f, keyField).problem()));
        case Reserved r -> throw new IllegalStateException("the engine answered a consume with a reservation");
      }
    }
    json(ctx, 200, new BatchResponse(out));
  }
}
