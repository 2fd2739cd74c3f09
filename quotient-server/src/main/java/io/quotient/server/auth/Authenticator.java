package io.quotient.server.auth;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.quotient.server.problem.ProblemException;
import io.quotient.api.ProblemType;
import io.quotient.server.signal.Observations;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, before a matched route runs, who is calling ({@code Authorization: Bearer …}, an API
 * key or a subject token) and whether the route's {@link Access} allows it: 401 for no, unknown,
 * revoked or expired credentials, 403 for a role or token scope that does not reach the route.
 * Each refusal is reported to the signals (credential abuse: bursts per key and per client address).
 *
 * <p>Thread-safe.
 */
public final class Authenticator {
  private static final String ATTRIBUTE = "quotient.credential";

  /** The path parameter a subject token's scope is checked against. */
  public static final String SUBJECT_PARAM = "id";

  private static final String SESSION_ATTRIBUTE = "quotient.session";

  private final ApiKeys keys;
  private final SubjectTokens tokens;
  private final Observations observations;
  private final Sessions sessions;

  public Authenticator(ApiKeys keys, SubjectTokens tokens, Observations observations, Sessions sessions) {
    this.keys = keys;
    this.tokens = tokens;
    this.observations = observations;
    this.sessions = sessions;
  }

  /** The before-matched handler: authenticates and authorises, or throws a 401 or 403 problem. */
  public void handle(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      return;
    }
    Access access = (Access) roles.iterator().next();
    Credential credential;
    String authorization = ctx.header("Authorization");
    String cookie = ctx.cookie(Sessions.COOKIE);
    if ((authorization == null || authorization.isBlank()) && cookie != null) {
      credential = fromSession(ctx, cookie);
    } else {
      try {
        credential = authenticate(authorization);
      } catch (Refused e) {
        observations.refused(e.keyId, address(ctx), null, 401);
        ctx.header("WWW-Authenticate", "Bearer");
        throw e.problem;
      }
    }
    switch (credential) {
      case Credential.Key key -> {
        if (!access.allows(key.role())) {
          observations.refused(key.id(), address(ctx), null, 403);
          throw new ProblemException(ProblemType.FORBIDDEN,
              "a " + key.role().wireName() + " key may not use this route; it needs one of "
                  + access.roles().stream().map(Role::wireName).sorted().toList());
        }
      }
      case Credential.SubjectToken token -> {
        // The stream has no subject in its path: it filters by the token's subject itself.
        if (!access.admitsSubjectTokens()
            || (access != Access.STREAM && !token.subject().equals(ctx.pathParam(SUBJECT_PARAM)))) {
          observations.refused(null, address(ctx), token.subject(), 403);
          throw new ProblemException(ProblemType.FORBIDDEN,
              "a subject token reads only its own subject's usage, analytics, recommendation and stream");
        }
      }
    }
    ctx.attribute(ATTRIBUTE, credential);
  }

  /**
   * A dashboard session's cookie: the session's key, and for a write (any method but GET, HEAD
   * and OPTIONS) the session's CSRF token in {@code X-CSRF-Token}, since a browser sends the
   * cookie by itself whoever made the page that asks.
   */
  private Credential fromSession(Context ctx, String cookie) {
    Sessions.Session session = sessions.find(cookie).orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED,
        "the session has ended (signed out, expired or its key revoked); sign in again"));
    String method = ctx.method().name();
    boolean write = !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
    if (write && !Sessions.csrfMatches(session, ctx.header(Sessions.CSRF_HEADER))) {
      observations.refused(session.key().id(), address(ctx), null, 403);
      throw new ProblemException(ProblemType.FORBIDDEN,
          "a write made with the session cookie must carry the session's CSRF token in " + Sessions.CSRF_HEADER);
    }
    ctx.attribute(SESSION_ATTRIBUTE, session);
    return session.key();
  }

  /** The dashboard session the request was authenticated with, if it came with the cookie. */
  public static java.util.Optional<Sessions.Session> session(Context ctx) {
    return java.util.Optional.ofNullable(ctx.attribute(SESSION_ATTRIBUTE));
  }

  /** The credential the request was authenticated with; only on routes that need one. */
  public static Credential credential(Context ctx) {
    Credential credential = ctx.attribute(ATTRIBUTE);
    if (credential == null) {
      throw new IllegalStateException("no credential on a route that needs one: " + ctx.path());
    }
    return credential;
  }

  /** The client's address as the socket sees it (a proxy in front is one address for all its clients). */
  private static String address(Context ctx) {
    return ctx.req().getRemoteAddr();
  }

  /** A 401, with the id of the key presented when it is known (revoked). */
  private static final class Refused extends RuntimeException {
    final ProblemException problem;
    final String keyId;

    Refused(ProblemException problem, String keyId) {
      super(problem.getMessage(), null, false, false);
      this.problem = problem;
      this.keyId = keyId;
    }
  }

  private Credential authenticate(String header) {
    if (header == null || header.isBlank()) {
      throw unauthorized("no credential; send Authorization: Bearer <api key or subject token>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("the Authorization header must be Bearer <api key or subject token>");
    }
    String secret = header.substring(7).strip();
    if (secret.startsWith(SubjectTokens.TOKEN_PREFIX)) {
      return tokens.verify(secret)
          .<Credential>map(t -> t)
          .orElseThrow(() -> unauthorized("the subject token is invalid or has expired"));
    }
    if (secret.isEmpty() || secret.length() > 200) {
      throw unauthorized("the API key is not known");
    }
    Optional<ApiKeys.KeyInfo> key = keys.find(secret);
    if (key.isEmpty()) {
      throw unauthorized("the API key is not known");
    }
    if (key.get().revokedAt() != null) {
      throw new Refused(new ProblemException(ProblemType.UNAUTHORIZED, "the API key was revoked at " + key.get().revokedAt()), key.get().id());
    }
    return new Credential.Key(key.get().id(), key.get().name(), key.get().role());
  }

  private static Refused unauthorized(String detail) {
    return new Refused(new ProblemException(ProblemType.UNAUTHORIZED, detail), null);
  }
}
