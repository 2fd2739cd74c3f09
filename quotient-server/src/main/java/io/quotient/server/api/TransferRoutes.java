package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.scope;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.api.Headers;
import io.quotient.api.Transfer;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.engine.Quotient;
import io.quotient.server.auth.Access;
import io.quotient.transfer.TransferRequest;
import io.quotient.transfer.TransferResult;
import java.util.Set;

/** Transfers: {@code POST /v1/transfers}. */
final class TransferRoutes {
  private final Quotient engine;
  private final Exchange exchange;

  TransferRoutes(Quotient engine, Exchange exchange) {
    this.engine = engine;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/transfers", this::transfer, Access.ENFORCE);
  }

  private void transfer(Context ctx) {
    Body body = exchange.body(ctx, true).only(Set.of("from", "to", "metric", "amount"));
    String from = body.string("from");
    String to = body.string("to");
    String metric = body.string("metric");
    long amount = body.amount("amount");
    String key = Exchange.idempotencyKey(ctx);
    TransferRequest request = Body.within("", () -> new TransferRequest(from, to, metric, amount, key));
    switch (engine.transfer(request, scope(ctx))) {
      case TransferResult.Transferred t -> {
        Exchange.replayed(ctx, t.replayed());
        json(ctx, 200, new Transfer(Wire.id(t.eventId()), Wire.id(t.receivedEventId()), t.from(), t.to(), t.metric(),
            t.amount(), t.fromPlan(), t.fromBonus(), Wire.id(t.grantId()), t.expiresAt()));
      }
      case TransferResult.KeyMismatch m ->
          throw Outcomes.mismatch(new IdempotencyMismatch(m.idempotencyKey()), Headers.IDEMPOTENCY_KEY);
    }
  }
}
