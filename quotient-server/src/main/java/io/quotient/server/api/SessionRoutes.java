package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.api.ProblemType;
import io.quotient.api.Session;
import io.quotient.server.auth.Access;
import io.quotient.server.auth.Authenticator;
import io.quotient.server.auth.Sessions;
import io.quotient.server.problem.ProblemException;
import java.util.Set;

/**
 * The admin dashboard's session ({@code /v1/session}): sign in with an admin or read key for a
 * cookie (HttpOnly, SameSite=Strict, Secure when the request came over TLS, Path=/), read it back
 * with its CSRF token after a reload, sign out.
 */
final class SessionRoutes {
  private final Sessions sessions;
  private final Exchange exchange;

  SessionRoutes(Sessions sessions, Exchange exchange) {
    this.sessions = sessions;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    // Public: the key in the body is the credential.
    routes.post("/v1/session", this::open);
    routes.get("/v1/session", this::current, Access.READ);
    routes.delete("/v1/session", this::close, Access.READ);
  }

  private void open(Context ctx) {
    Body body = exchange.body(ctx, true).only(Set.of("key"));
    Sessions.Opened opened = sessions.open(body.string("key"));
    ctx.res().addHeader("Set-Cookie", cookie(ctx, opened.id(), Sessions.LIFETIME.toSeconds()));
    ctx.header("Cache-Control", "no-store");
    json(ctx, 201, wire(opened.session()));
  }

  private void current(Context ctx) {
    Sessions.Session session = Authenticator.session(ctx).orElseThrow(() -> new ProblemException(
        ProblemType.NOT_FOUND, "this request came with an API key, not a session cookie"));
    ctx.header("Cache-Control", "no-store");
    json(ctx, 200, wire(session));
  }

  private void close(Context ctx) {
    if (Authenticator.session(ctx).isEmpty()) {
      throw new ProblemException(ProblemType.NOT_FOUND, "this request came with an API key, not a session cookie");
    }
    sessions.close(ctx.cookie(Sessions.COOKIE));
    ctx.res().addHeader("Set-Cookie", cookie(ctx, "", 0));
    ctx.status(204);
  }

  /** The cookie; Secure when the request came over TLS (directly or through a proxy that says so). */
  private static String cookie(Context ctx, String value, long maxAgeSeconds) {
    boolean tls = ctx.req().isSecure() || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    return Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
        + (tls ? "; Secure" : "");
  }

  private static Session wire(Sessions.Session session) {
    return new Session(session.key().role().wireName(), session.key().name(), session.csrfToken(), session.expiresAt());
  }
}
