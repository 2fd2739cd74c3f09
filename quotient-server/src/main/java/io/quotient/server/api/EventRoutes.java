package io.quotient.server.api;

import static io.quotient.server.api.Exchange.blankToNull;
import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.queryNumber;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.api.ProblemType;
import io.quotient.engine.Quotient;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import java.util.Arrays;
import java.util.Set;

/** The audit trail: {@code GET /v1/events}. */
final class EventRoutes {
  private final Quotient engine;

  EventRoutes(Quotient engine) {
    this.engine = engine;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/events", this::events, Access.READ);
  }

  private void events(Context ctx) {
    Set<String> known = Set.of("subject", "type", "after", "limit");
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD,
            name + " is not a known query parameter; known: " + known.stream().sorted().toList(), name);
      }
    }
    String subject = blankToNull(ctx.queryParam("subject"));
    String typeName = blankToNull(ctx.queryParam("type"));
    EventType type = null;
    if (typeName != null) {
      type = EventType.fromWireName(typeName);
      if (type == null) {
        throw ProblemException.invalid("type", "must be one of "
            + Arrays.stream(EventType.values()).map(EventType::wireName).toList() + ", was '" + typeName + "'");
      }
    }
    int limit = (int) queryNumber(ctx, "limit", 1, EventQuery.MAX_LIMIT, 100);
    EventType t = type;
    EventQuery query =
        Body.within("", () -> new EventQuery(subject, t, FeedCursor.parse(ctx.queryParam("after")), limit));
    EventPage page = engine.events(query);
    json(ctx, 200, Wire.eventPage(page));
  }
}
