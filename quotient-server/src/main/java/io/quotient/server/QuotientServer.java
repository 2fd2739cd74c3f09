package io.quotient.server;

import io.javalin.Javalin;
import io.quotient.api.Problem;
import io.quotient.api.ProblemType;
import io.quotient.engine.Quotient;
import io.quotient.monitor.Monitor;
import io.quotient.monitor.signal.Signals;
import io.quotient.monitor.webhook.Webhooks;
import io.quotient.redis.RedisBurstLimiter;
import io.quotient.server.api.Api;
import io.quotient.server.auth.ApiKeys;
import io.quotient.server.auth.Authenticator;
import io.quotient.server.auth.CredentialTables;
import io.quotient.server.auth.SubjectTokens;
import io.quotient.server.config.ServerConfig;
import io.quotient.server.cors.Cors;
import io.quotient.server.metrics.ServerMetrics;
import io.quotient.server.problem.JettyErrors;
import io.quotient.server.problem.ProblemException;
import io.quotient.server.problem.ProblemMapper;
import io.quotient.server.signal.Observations;
import io.quotient.storage.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Quotient server: the database, the engine on it, and the HTTP API in front.
 *
 * <p>Start-up, in order: open the database (embedded unless a URL is configured) and migrate the
 * engine's and the server's tables; start the engine; install plans; start the monitor (it
 * migrates its own tables); create the bootstrap admin
 * key on a database without keys; load the token signing secret; listen.
 *
 * <p>{@link #close} shuts down gracefully, in an order where nothing is stopped while something
 * still needs it: new requests are answered 503 {@code shutting-down} and every answer carries
 * {@code Connection: close}, while the listener stays open (closing it would reset the connections
 * in its backlog); the requests in flight finish; clients still connected get up to two seconds to
 * hang up; Jetty's graceful stop closes the listener and any idle connection left; then the
 * monitor's projections finish their step; then the engine
 * commits and answers its batches in flight; then the database closes (the embedded PostgreSQL
 * stops last). Thread-safe.
 */
public final class QuotientServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuotientServer.class);
  private static final String ADMITTED = "quotient.admitted";
  // A stop's bounds: requests in flight (decisions take milliseconds), clients still connected,
  // then Jetty for idle connections (it closes them after a second). With the database's own stop
  // (a few seconds at most) a stop ends within 10 s even with a stuck request.
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(4);
  /** How long a stop keeps listening, answering 503, for clients still connected. */
  private static final Duration LINGER = Duration.ofSeconds(2);
  private static final Duration JETTY_STOP_TIMEOUT = Duration.ofSeconds(2);

  private final Database database;
  private final Quotient engine;
  private final Monitor monitor;
  private final Webhooks webhooks;
  private final Observations observations;
  private final ServerMetrics metrics;
  private final Javalin app;
  private final Drain drain;
  private final String generatedAdminKey;
  private final List<String> routes;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ApiKeys keys;
  private final RedisBurstLimiter redis; // null without QUOTIENT_REDIS_URL

  private QuotientServer(
      Database database, Quotient engine, RedisBurstLimiter redis, Monitor monitor, Webhooks webhooks,
      Observations observations, ServerMetrics metrics, Javalin app, Drain drain, String generatedAdminKey, List<String> routes,
      ApiKeys keys) {
    this.keys = keys;
    this.redis = redis;
    this.database = database;
    this.engine = engine;
    this.monitor = monitor;
    this.webhooks = webhooks;
    this.observations = observations;
    this.metrics = metrics;
    this.app = app;
    this.drain = drain;
    this.generatedAdminKey = generatedAdminKey;
    this.routes = routes;
  }

  /** Opens the database the settings name and starts the server on it. */
  public static QuotientServer start(ServerConfig config) {
    Database database = config.databaseUrl() != null
        ? Database.external(config.databaseUrl(), config.databaseSchema(), config.poolSize())
        : Database.embedded(config.dataDir().toAbsolutePath(), config.poolSize());
    return start(config, database, Clock.systemUTC());
  }

  /**
   * Starts the server on an open {@code database}, which it closes when it closes. The clock is
   * the engine's and the credentials' (tests pass a fixed one).
   */
  public static QuotientServer start(ServerConfig config, Database database, Clock clock) {
    Quotient engine = null;
    Monitor monitor = null;
    Webhooks webhooks = null;
    ServerMetrics metrics = null;
    ApiKeys keys = null;
    RedisBurstLimiter redis = null;
    Observations observations = null;
    try {
      CredentialTables.migrate(database.dataSource(), database.schema());
      metrics = new ServerMetrics();
      Quotient.Builder builder = Quotient.builder(database.dataSource()).clock(clock).defaultPlan(config.defaultPlan())
          .eventRetention(config.eventRetentionDays() == 0 ? null : Duration.ofDays(config.eventRetentionDays()))
          .onBatchCommitted(metrics::writerBatch);
      if (config.redisUrl() != null) {
        redis = RedisBurstLimiter.builder(config.redisUrl()).build();
        metrics.sharedBurstLimiter(redis, RedisBurstLimiter::shared, RedisBurstLimiter::fallbackDecisions);
        builder.burstLimiter(redis);
      }
      engine = builder.build();
      PlanInstaller.install(engine, config.plansFile());
      // The webhooks' projection runs in the monitor (which migrates their tables); their workers
      // start once it has.
      webhooks = new Webhooks(engine, database.dataSource(), clock,
          Webhooks.Settings.defaults().withAllowPrivate(config.webhooksAllowPrivate()), metrics::webhookDelivery);
      Signals signals = new Signals(engine, database.dataSource(), clock);
      monitor = Monitor.builder(engine, database).clock(clock).onAppended(metrics::monitorEvent)
          .projection(webhooks.projection()).projection(signals.projection()).start();
      webhooks.start();
      metrics.webhookOutbox(webhooks::backlog);
      observations = new Observations(signals, clock);
      keys = new ApiKeys(database.dataSource(), clock);
      keys.listenForRevocations();
      String generated = keys.bootstrap(config.bootstrapAdminKey()).orElse(null);
      SubjectTokens tokens = SubjectTokens.load(database.dataSource(), clock);
      Drain drain = new Drain();
      io.quotient.server.auth.Sessions sessions = new io.quotient.server.auth.Sessions(database.dataSource(), keys, clock);
      Api api = new Api(engine, monitor, keys, tokens, database.dataSource(), metrics, clock,
          new Api.Limits(config.maxBodyBytes(), config.maxBatchRequests(), config.defaultPlan()), drain::accepting, webhooks,
          config.upgradeUrl(), signals, observations, sessions);
      Authenticator authenticator = new Authenticator(keys, tokens, observations, sessions);
      ServerMetrics m = metrics;
      List<String> routes = new ArrayList<>();
      Javalin app = Javalin.create(cfg -> {
        cfg.startup.showJavalinBanner = false;
        cfg.concurrency.useVirtualThreads = true;
        // The API reads bodies itself, with its own limit and a problem answer past it.
        cfg.http.maxRequestSize = config.maxBodyBytes() + 1L;
        cfg.jetty.modifyServer(server -> {
          server.setErrorHandler(new JettyErrors());
          // A stop timeout makes Jetty's stop graceful (see the class comment) instead of cutting
          // open connections, which resets the requests on them.
          server.setStopTimeout(JETTY_STOP_TIMEOUT.toMillis());
        });
        cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrors()));
        io.quotient.server.web.WebPages.register(cfg, config.corsOrigins());
        cfg.events.handlerAdded(h -> {
          if (h.getHttpMethod().isHttpMethod()) {
            routes.add(h.getHttpMethod().name() + " " + h.getPath());
          }
        });
        cfg.routes.before(ctx -> {
          if (!drain.enter()) {
            ctx.header("Connection", "close"); // this client should go to another instance
            throw new ProblemException(ProblemType.SHUTTING_DOWN, "the server is shutting down; retry on another instance");
          }
          ctx.attribute(ADMITTED, Boolean.TRUE);
        });
        Cors.install(cfg, config.corsOrigins());
        cfg.routes.beforeMatched(authenticator::handle);
        cfg.routes.after(ctx -> {
          if (!drain.accepting()) {
            ctx.header("Connection", "close"); // stopping: no next request on this connection
          }
          if (ctx.attribute(ADMITTED) != null) {
            ctx.attribute(ADMITTED, null);
            drain.exit();
          }
        });
        cfg.routes.exception(Exception.class, ProblemMapper::handle);
        cfg.routes.error(404, ctx -> {
          if (!ProblemMapper.isProblem(ctx)) {
            ProblemMapper.write(ctx, Problem.of(ProblemType.NOT_FOUND, "no route " + ctx.method() + " " + ctx.path(), null));
          }
        });
        cfg.routes.error(405, ctx -> {
          if (!ProblemMapper.isProblem(ctx)) {
            ProblemMapper.write(ctx, Problem.of(ProblemType.METHOD_NOT_ALLOWED, "method not allowed on " + ctx.path(), null));
          }
        });
        cfg.requestLogger.http((ctx, ms) ->
            m.request(ctx.method().name(), Api.routeOf(ctx), ctx.statusCode(), Duration.ofNanos((long) (ms * 1_000_000))));
        api.register(cfg.routes);
      });
      try {
        app.start(config.host(), config.port());
      } catch (io.javalin.util.JavalinBindException e) {
        throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
            + " (is another server using the port? QUOTIENT_PORT picks another)", e);
      }
      log.info("Quotient listening on port {}", app.port());
      return new QuotientServer(database, engine, redis, monitor, webhooks, observations, metrics, app, drain, generated,
          List.copyOf(routes), keys);
    } catch (RuntimeException e) {
      if (observations != null) {
        observations.close();
      }
      if (keys != null) {
        keys.close();
      }
      if (webhooks != null) {
        webhooks.close();
      }
      if (monitor != null) {
        monitor.close();
      }
      if (engine != null) {
        engine.close();
      }
      if (redis != null) {
        redis.close();
      }
      if (metrics != null) {
        metrics.close();
      }
      database.close();
      throw e;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /**
   * The admin key this start generated, to show the operator once; empty when an admin key was
   * already confirmed or was configured. Call {@link #adminKeyShown} once it has been shown: until
   * then the key stays pending and the next start generates (and shows) another.
   */
  public Optional<String> generatedAdminKey() {
    return Optional.ofNullable(generatedAdminKey);
  }

  /** The {@linkplain #generatedAdminKey generated admin key} has been shown: confirms it. */
  public void adminKeyShown() {
    if (generatedAdminKey != null) {
      keys.confirmShown(generatedAdminKey);
    }
  }

  /** The monitor the server runs (alerts, analytics); tests wait on its projections. */
  public Monitor monitor() {
    return monitor;
  }

  /** The webhooks: endpoints, outbox and delivery. */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** Every HTTP route, as {@code METHOD /path/{param}}. */
  public List<String> routes() {
    return routes;
  }

  /**
   * Waits, up to {@link #LINGER}, until no client is connected: each has had its last answer
   * (with {@code Connection: close}) and hung up. Closing the listener before that would reset the
   * connections its backlog holds and the requests already on their way.
   */
  private void linger() throws InterruptedException {
    long deadline = System.nanoTime() + LINGER.toNanos();
    while (System.nanoTime() < deadline && openConnections() > 0) {
      Thread.sleep(20);
    }
  }

  private int openConnections() {
    int open = 0;
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      open += connector.getConnectedEndPoints().size();
    }
    return open;
  }

  /** Shuts down gracefully (see the class comment); later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // 1. New requests get 503 shutting-down, and every answer from now on Connection: close, while
    //    the listener stays open: a client that reconnects gets its 503 instead of a connection
    //    the closing listener resets.
    // 2. The requests in flight get their decisions.
    try {
      if (!drain.close(DRAIN_TIMEOUT)) {
        log.warn("requests still in flight after {}; stopping anyway", DRAIN_TIMEOUT);
      }
      // 3. Clients still connected get a moment to send what they had on the way and hear 503.
      linger();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // 4. Jetty's graceful stop closes the listener and what connections are left once idle.
    try {
      app.stop();
    } catch (RuntimeException e) {
      // Jetty gave up waiting for a connection and closed it; the engine and the database must
      // still close, in order.
      log.warn("the HTTP listener did not stop gracefully: {}", e.getMessage());
    }
    // 5. The monitor's projections finish the step they are in (it commits or rolls back whole),
    //    before the engine and the database they read go.
    //    The webhook workers first: an attempt in flight gets a second, then is abandoned unrecorded
    //    (about two seconds at most, whatever the receiver does); what is left stays in the outbox
    //    for the next start or another instance.
    try {
      webhooks.close();
      observations.close(); // its reports write through the monitor's signals
      monitor.close();
      engine.close();
    } finally {
      try {
        if (redis != null) {
          redis.close(); // after the engine: its last batches still take tokens
        }
        keys.close();
        metrics.close();
      } finally {
        database.close();
      }
    }
    log.info("Quotient stopped");
  }
}
