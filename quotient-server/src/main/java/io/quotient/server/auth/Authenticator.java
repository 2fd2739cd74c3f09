package io.quotient.server.auth;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.quotient.server.problem.ProblemException;
import io.quotient.api.ProblemType;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, before a matched route runs, who is calling ({@code Authorization: Bearer …}, an API
 * key or a subject token) and whether the route's {@link Access} allows it: 401 for no, unknown,
 * revoked or expired credentials, 403 for a role or token scope that does not reach the route.
 *
 * <p>Thread-safe.
 */
public final class Authenticator {
  private static final String ATTRIBUTE = "quotient.credential";

  /** The path parameter a subject token's scope is checked against. */
  public static final String SUBJECT_PARAM = "id";

  private final ApiKeys keys;
  private final SubjectTokens tokens;

  public Authenticator(ApiKeys keys, SubjectTokens tokens) {
    this.keys = keys;
    this.tokens = tokens;
  }

  /** The before-matched handler: authenticates and authorises, or throws a 401 or 403 problem. */
  public void handle(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      return;
    }
    Access access = (Access) roles.iterator().next();
    Credential credential;
    try {
      credential = authenticate(ctx.header("Authorization"));
    } catch (ProblemException e) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw e;
    }
    switch (credential) {
      case Credential.Key key -> {
        if (!access.allows(key.role())) {
          throw new ProblemException(ProblemType.FORBIDDEN,
              "a " + key.role().wireName() + " key may not use this route; it needs one of "
                  + access.roles().stream().map(Role::wireName).sorted().toList());
        }
      }
      case Credential.SubjectToken token -> {
        // The stream has no subject in its path: it filters by the token's subject itself.
        if (!access.admitsSubjectTokens()
            || (access != Access.STREAM && !token.subject().equals(ctx.pathParam(SUBJECT_PARAM)))) {
          throw new ProblemException(ProblemType.FORBIDDEN,
              "a subject token reads only its own subject's usage, analytics, recommendation and stream");
        }
      }
    }
    ctx.attribute(ATTRIBUTE, credential);
  }

  /** The credential the request was authenticated with; only on routes that need one. */
  public static Credential credential(Context ctx) {
    Credential credential = ctx.attribute(ATTRIBUTE);
    if (credential == null) {
      throw new IllegalStateException("no credential on a route that needs one: " + ctx.path());
    }
    return credential;
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
      throw unauthorized("the API key was revoked at " + key.get().revokedAt());
    }
    return new Credential.Key(key.get().id(), key.get().name(), key.get().role());
  }

  private static ProblemException unauthorized(String detail) {
    return new ProblemException(ProblemType.UNAUTHORIZED, detail);
  }
}
