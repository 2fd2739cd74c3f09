package io.quotient.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.webhook.Webhooks;
import io.quotient.monitor.signal.Signals;
import io.quotient.server.auth.ApiKeys;
import io.quotient.server.auth.SubjectTokens;
import io.quotient.server.metrics.ServerMetrics;
import io.quotient.server.signal.Observations;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The v1 routes and the operations routes, over one engine, registered by resource: deciding
 * ({@link ConsumeRoutes}), refunds, reservations, plans, subjects (with usage, grants and resets),
 * events, alerts (over the monitor), the live stream, analytics, abuse signals, webhooks, credentials (keys, subject tokens and the dashboard's sessions) and operations. Every handler reads its input
 * strictly, calls the engine once, and writes an {@code io.quotient.api} record; quota logic lives
 * in the engine only.
 *
 * <p>Thread-safe: handlers share nothing mutable.
 */
public final class Api {
  private final ConsumeRoutes consume;
  private final RefundRoutes refunds;
  private final TransferRoutes transfers;
  private final ReservationRoutes reservations;
  private final PlanRoutes plans;
  private final SubjectRoutes subjects;
  private final EventRoutes events;
  private final ReportRoutes reports;
  private final CredentialRoutes credentials;
  private final OperationRoutes operations;
  private final AnalyticsRoutes analytics;
  private final AlertRoutes alerts;
  private final StreamRoutes stream;
  private final WebhookRoutes webhooks;
  private final SignalRoutes signals;
  private final SessionRoutes sessions;

  /**
   * The request limits.
   *
   * @param maxBodyBytes the largest body accepted (413 past it)
   * @param maxBatchRequests the most requests in one batch (413 past it)
   * @param defaultPlan the plan new subjects get when a PUT names none
   */
  public record Limits(int maxBodyBytes, int maxBatchRequests, String defaultPlan) {}

  public Api(
      Quotient engine,
      Monitor monitor,
      ApiKeys keys,
      SubjectTokens tokens,
      DataSource dataSource,
      ServerMetrics metrics,
      Clock clock,
      Limits limits,
      BooleanSupplier accepting,
      Webhooks webhooks,
      String upgradeUrl,
      Signals signals,
      Observations observations,
      io.quotient.server.auth.Sessions sessions) {
    Exchange exchange = new Exchange(limits.maxBodyBytes());
    this.consume = new ConsumeRoutes(engine, exchange, metrics, limits.maxBatchRequests(), observations);
    this.refunds = new RefundRoutes(engine, exchange, observations);
    this.transfers = new TransferRoutes(engine, exchange);
    this.reservations = new ReservationRoutes(engine, exchange, metrics, observations);
    this.plans = new PlanRoutes(engine, exchange);
    this.subjects = new SubjectRoutes(engine, exchange, clock, limits.defaultPlan());
    this.events = new EventRoutes(engine);
    this.reports = new ReportRoutes(engine);
    this.credentials = new CredentialRoutes(keys, tokens, exchange);
    this.operations = new OperationRoutes(dataSource, metrics, accepting);
    this.alerts = new AlertRoutes(monitor.alerts(), exchange);
    this.stream = new StreamRoutes(engine, metrics, accepting);
    this.webhooks = new WebhookRoutes(webhooks, exchange);
    this.analytics = new AnalyticsRoutes(monitor.analytics(), upgradeUrl);
    this.signals = new SignalRoutes(engine, signals, exchange);
    this.sessions = new SessionRoutes(sessions, exchange);
  }

  /** The OpenAPI document served at {@code GET /v1/openapi.json}. */
  public static byte[] openApiDocument() {
    return OperationRoutes.openApiDocument();
  }

  /** Adds every route. */
  public void register(RoutesConfig routes) {
    // Enforcement.
    consume.register(routes);
    refunds.register(routes);
    transfers.register(routes);
    reservations.register(routes);
    // Administration.
    plans.register(routes);
    subjects.register(routes);
    credentials.register(routes);
    sessions.register(routes);
    events.register(routes);
    reports.register(routes);
    // Monitoring.
    alerts.register(routes);
    stream.register(routes);
    webhooks.register(routes);
    analytics.register(routes);
    signals.register(routes);
    // Operations, no credential.
    operations.register(routes);
  }

  /** The route template of a handler, for metrics; {@code unmatched} when none matched. */
  public static String routeOf(Context ctx) {
    try {
      var endpoint = ctx.endpoints().lastHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
