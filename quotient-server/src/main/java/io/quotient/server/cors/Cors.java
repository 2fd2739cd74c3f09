package io.quotient.server.cors;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RouterConfig;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.matcher.PathParser;
import io.quotient.api.ProblemType;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * CORS for the routes a subject token may call, so that an end user's page on a listed origin can
 * read its own usage with the token in the {@code Authorization} header.
 *
 * <p>Which routes: those whose {@link Access} level {@linkplain Access#admitsSubjectTokens() admits
 * subject tokens}, learnt from the routes as they are registered; a route
 * later opened to subject tokens is open to pages too, with no list here to keep in step.
 *
 * <p>What it answers, as a {@code before} handler (preflights match no route, so it cannot wait for
 * matching, and they carry no credential, so it runs before authentication):
 * <ul>
 *   <li>a preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 *       for such a route from a listed origin: 204 with {@code Access-Control-Allow-Origin} (that
 *       origin), {@code -Allow-Methods}, {@code -Allow-Headers} ({@code authorization},
 *       {@code content-type}), {@code -Max-Age} and {@code Vary: Origin};
 *   <li>a preflight from any other origin, or for a route closed to pages: 403 {@code forbidden}
 *       without CORS headers (the browser refuses the call; the detail tells whoever looks why);
 *       a preflight on a path with no route at all goes on to the usual 404;
 *   <li>the call itself from a listed origin: {@code Access-Control-Allow-Origin} and
 *       {@code Vary: Origin} on its answer, errors included, so the page can read a 401 for an
 *       expired token. Credentials mode is not needed: tokens travel in a header, not a cookie.
 * </ul>
 *
 * <p>Routes are added while the server is configured; afterwards the list is only read.
 * Thread-safe.
 */
public final class Cors {
  /** How long a browser may reuse a preflight's answer (browsers cap it at 2 h or less). */
  static final Duration MAX_AGE = Duration.ofMinutes(10);
  static final String ALLOWED_HEADERS = "authorization, content-type";
  static final String SETTING = "QUOTIENT_CORS_ORIGINS";

  private final List<Origin> origins;
  private final RouterConfig router;
  private final List<Route> routes = new CopyOnWriteArrayList<>();

  private Cors(List<Origin> origins, RouterConfig router) {
    this.origins = List.copyOf(origins);
    this.router = router;
  }

  /**
   * Installs CORS for {@code origins} (none: every preflight is refused) on a server being
   * configured. Call it after the {@code before} handlers that must see every request first (the
   * drain) and before the routes are registered, so that it learns each one.
   */
  public static void install(JavalinConfig cfg, List<Origin> origins) {
    Cors cors = new Cors(origins, cfg.router);
    cfg.events.handlerAdded(cors::routeAdded);
    cfg.routes.before(cors::handle);
    cfg.routes.exception(Answered.class, (e, ctx) -> {
      // The preflight's status and headers are set; there is nothing more to write.
    });
  }

  /** Remembers every HTTP route with its access level. */
  void routeAdded(HandlerMetaInfo info) {
    if (!info.getHttpMethod().isHttpMethod()) {
      return;
    }
    boolean open = info.getRoles().stream().anyMatch(r -> r instanceof Access a && a.admitsSubjectTokens());
    routes.add(new Route(info.getHttpMethod().name(), new PathParser(info.getPath(), router), open));
  }

  /** The before handler: answers preflights, and marks the answers of calls from listed origins. */
  void handle(Context ctx) {
    String origin = ctx.header("Origin");
    String requested = ctx.header("Access-Control-Request-Method");
    String path = ctx.path();
    if (origin != null && requested != null && ctx.method().equals(HandlerType.OPTIONS)) {
      preflight(ctx, origin, requested.strip(), path);
      return;
    }
    if (origins.isEmpty() || !isOpen(ctx.method().name(), path)) {
      return;
    }
    // The answer depends on the Origin header whenever pages may call the route: say so to caches.
    ctx.res().addHeader("Vary", "Origin");
    if (origin != null && allowed(origin)) {
      ctx.header("Access-Control-Allow-Origin", origin);
    }
  }

  private void preflight(Context ctx, String origin, String method, String path) {
    List<Route> here = routes.stream().filter(r -> r.path().matches(path)).toList();
    if (here.isEmpty()) {
      return;
    }
    if (here.stream().noneMatch(r -> r.open() && r.method().equals(method))) {
      throw new ProblemException(ProblemType.FORBIDDEN, "cross-origin calls are open only on the routes a subject"
          + " token may call, and " + method + " " + path + " is not one");
    }
    if (!allowed(origin)) {
      throw new ProblemException(ProblemType.FORBIDDEN, origins.isEmpty()
          ? "cross-origin calls are off: " + SETTING + " lists no origin"
          : "the origin " + origin + " is not one of " + SETTING + " " + origins);
    }
    ctx.status(204);
    ctx.res().addHeader("Vary", "Origin");
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Access-Control-Allow-Methods",
        here.stream().filter(Route::open).map(Route::method).distinct().sorted().collect(Collectors.joining(", ")));
    ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    ctx.header("Access-Control-Max-Age", Long.toString(MAX_AGE.toSeconds()));
    // Nothing else may run (there is no route, and no credential to check), but the after handlers
    // must (the drain counts this request out there): skipRemainingHandlers() would drop those too,
    // while an exception skips exactly the before handlers and the endpoint.
    throw new Answered();
  }

  private boolean isOpen(String method, String path) {
    return routes.stream().anyMatch(r -> r.open() && r.method().equals(method) && r.path().matches(path));
  }

  private boolean allowed(String origin) {
    return origins.stream().anyMatch(o -> o.matches(origin));
  }

  /** Ends a preflight's handling once it is answered; carries no stack trace, as it is no fault. */
  static final class Answered extends RuntimeException {
    Answered() {
      super("preflight answered", null, false, false);
    }
  }

  /** A registered route: its method, its path, and whether pages may call it. */
  private record Route(String method, PathParser path, boolean open) {}
}
