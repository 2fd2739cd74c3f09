package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.NotFoundException;
import io.quotient.api.ProblemType;
import io.quotient.api.Risk;
import io.quotient.api.RiskSignal;
import io.quotient.api.Risks;
import io.quotient.api.SignalRules;
import io.quotient.engine.Quotient;
import io.quotient.monitor.signal.Episode;
import io.quotient.monitor.signal.Signals;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;

/**
 * The abuse and anomaly signals: {@code GET} and {@code PUT /v1/signal-rules},
 * {@code GET /v1/subjects/{id}/risk} and {@code GET /v1/risk}.
 */
final class SignalRoutes {
  private static final int MAX_COUNT = 10_000;

  private final Quotient engine;
  private final Signals signals;
  private final Exchange exchange;

  SignalRoutes(Quotient engine, Signals signals, Exchange exchange) {
    this.engine = engine;
    this.signals = signals;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/signal-rules", this::rules, Access.READ);
    routes.put("/v1/signal-rules", this::putRules, Access.ADMIN);
    routes.get("/v1/subjects/{id}/risk", this::risk, Access.READ);
    routes.get("/v1/risk", this::riskiest, Access.READ);
  }

  private void rules(Context ctx) {
    json(ctx, 200, wire(signals.rules()));
  }

  private void putRules(Context ctx) {
    Body body = exchange.body(ctx, true).only(Set.of("denialBurst", "race", "spike", "credentialAbuse", "episodeQuietSeconds"));
    io.quotient.monitor.signal.SignalRules d = io.quotient.monitor.signal.SignalRules.DEFAULTS;
    Body denial = group(body, "denialBurst", "count", "windowSeconds");
    Body race = group(body, "race", "requests", "windowMillis", "conflicts", "conflictWindowSeconds");
    Body spike = group(body, "spike", "factor", "minUnits", "minHistoryHours");
    Body credential = group(body, "credentialAbuse", "failures", "windowSeconds");
    int denialCount = count(denial, "count", d.denialCount());
    Duration denialWindow = Duration.ofSeconds(number(denial, "windowSeconds", d.denialWindow().toSeconds()));
    int raceRequests = count(race, "requests", d.raceRequests());
    Duration raceWindow = Duration.ofMillis(number(race, "windowMillis", d.raceWindow().toMillis()));
    int conflicts = count(race, "conflicts", d.conflictCount());
    Duration conflictWindow = Duration.ofSeconds(number(race, "conflictWindowSeconds", d.conflictWindow().toSeconds()));
    BigDecimal factor = spike != null && spike.present("factor") ? spike.decimal("factor") : d.spikeFactor();
    long minUnits = number(spike, "minUnits", d.spikeMinUnits());
    Duration minHistory = Duration.ofHours(number(spike, "minHistoryHours", d.spikeMinHistory().toHours()));
    int failures = count(credential, "failures", d.credentialFailures());
    Duration credentialWindow = Duration.ofSeconds(number(credential, "windowSeconds", d.credentialWindow().toSeconds()));
    Duration quiet = Duration.ofSeconds(number(body, "episodeQuietSeconds", d.episodeQuiet().toSeconds()));
    io.quotient.monitor.signal.SignalRules rules =
        Body.within("", () -> new io.quotient.monitor.signal.SignalRules(
            denialCount, denialWindow, raceRequests, raceWindow, conflicts, conflictWindow, factor, minUnits, minHistory, failures,
            credentialWindow, quiet));
    json(ctx, 200, wire(signals.putRules(rules)));
  }

  private static Body group(Body body, String name, String... fields) {
    Body group = body.optObject(name);
    return group == null ? null : group.only(Set.of(fields));
  }

  private static int count(Body group, String name, int fallback) {
    return group == null || !group.present(name) ? fallback : group.optWholeNumber(name, 2, MAX_COUNT).intValue();
  }

  private static long number(Body group, String name, long fallback) {
    // Bounds beyond these are the rules' own, named by field.
    return group == null || !group.present(name) ? fallback : group.optWholeNumber(name, 1, 10_000_000);
  }

  private void risk(Context ctx) {
    String id = Exchange.pathId(ctx);
    engine.subject(id).orElseThrow(() -> new NotFoundException("subject", id));
    json(ctx, 200, wire(signals.risk(id)));
  }

  private void riskiest(Context ctx) {
    Set<String> known = Set.of("min", "limit");
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD,
            name + " is not a known query parameter; known: " + known.stream().sorted().toList(), name);
      }
    }
    int min = (int) Exchange.queryNumber(ctx, "min", 0, 100, 1);
    int limit = (int) Exchange.queryNumber(ctx, "limit", 1, 1000, 100);
    json(ctx, 200, new Risks(signals.riskiest(min, limit).stream().map(SignalRoutes::wire).toList()));
  }

  private static SignalRules wire(io.quotient.monitor.signal.SignalRules r) {
    return new SignalRules(
        new SignalRules.DenialBurst(r.denialCount(), r.denialWindow().toSeconds()),
        new SignalRules.Race(r.raceRequests(), r.raceWindow().toMillis(), r.conflictCount(), r.conflictWindow().toSeconds()),
        new SignalRules.Spike(r.spikeFactor(), r.spikeMinUnits(), r.spikeMinHistory().toHours()),
        new SignalRules.CredentialAbuse(r.credentialFailures(), r.credentialWindow().toSeconds()),
        r.episodeQuiet().toSeconds());
  }

  private static Risk wire(io.quotient.monitor.signal.Risk risk) {
    return new Risk(
        risk.subject(), risk.score(), risk.band().wireName(),
        risk.signals().stream().map(p -> {
          Episode e = p.episode();
          return new RiskSignal(
              e.signal().wireName(), p.score(), Long.toString(e.id()), Long.toString(e.eventId()), e.target(), e.startedAt(),
              e.lastAt(), e.hits(), e.evidence());
        }).toList());
  }
}
