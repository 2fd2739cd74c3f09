package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.scope;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.api.Headers;
import io.quotient.api.ProblemType;
import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.engine.Quotient;
import io.quotient.refund.RefundRequest;
import io.quotient.refund.RefundResult;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import io.quotient.server.signal.Observations;
import java.util.Map;
import java.util.Set;

/** Giving units back: {@code POST /v1/refunds}. */
final class RefundRoutes {
  private final Quotient engine;
  private final Exchange exchange;
  private final Observations observations;

  RefundRoutes(Quotient engine, Exchange exchange, Observations observations) {
    this.observations = observations;
    this.engine = engine;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/refunds", this::refund, Access.ENFORCE);
  }

  private void refund(Context ctx) {
    Body body = exchange.body(ctx, true).only(Set.of("eventId", "subject", "idempotencyKey", "amount"));
    Long eventId = body.present("eventId") ? eventId(body) : null;
    String subject = body.optString("subject");
    String key = body.optString("idempotencyKey");
    if (eventId == null && key == null) {
      throw ProblemException.invalid("eventId", "is required (or subject and idempotencyKey)");
    }
    if (eventId != null && (key != null || subject != null)) {
      throw ProblemException.invalid("eventId", "cannot be given with subject and idempotencyKey; give one or the other");
    }
    Long amount = body.optAmount("amount");
    String requestKey = Exchange.idempotencyKey(ctx);
    RefundRequest request =
        Body.within("", () -> new RefundRequest(eventId, scope(ctx), subject, key, amount, requestKey));
    switch (engine.refund(request)) {
      case RefundResult.Refunded r -> {
        Exchange.replayed(ctx, r.replayed());
        json(ctx, 200, Wire.refund(r));
      }
      case RefundResult.NotRefundable n -> throw new ProblemException(ProblemType.NOT_REFUNDABLE,
          "consume " + n.consumeEventId() + " has " + n.refundable() + " units left to refund",
          amount == null ? "eventId" : "amount",
          Map.of("consumeEventId", Long.toString(n.consumeEventId()), "refundable", n.refundable()));
      case RefundResult.KeyMismatch m -> {
        observations.conflict(subject, 422);
        throw Outcomes.mismatch(new IdempotencyMismatch(m.requestKey()), Headers.IDEMPOTENCY_KEY);
      }
      case RefundResult.KeyInFlight f -> {
        observations.conflict(subject, 409);
        throw Outcomes.inFlight(new IdempotencyInFlight(f.requestKey()), Headers.IDEMPOTENCY_KEY);
      }
    }
  }

  /** An event id: a string of digits (as answers give it) or a whole number. */
  private static long eventId(Body body) {
    if (body.isString("eventId")) {
      String value = body.optString("eventId");
      if (!value.matches("[1-9][0-9]{0,18}")) {
        throw ProblemException.invalid("eventId", "must be an event id such as \"42\", was '" + value + "'");
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw ProblemException.invalid("eventId", "must be an event id such as \"42\", was '" + value + "'");
      }
    }
    return body.wholeNumber("eventId", 1, false);
  }
}
