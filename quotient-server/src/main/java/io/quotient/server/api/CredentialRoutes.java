package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;
import static io.quotient.server.api.Exchange.pathId;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.api.Keys;
import io.quotient.api.Token;
import io.quotient.server.auth.Access;
import io.quotient.server.auth.ApiKeys;
import io.quotient.server.auth.Role;
import io.quotient.server.auth.SubjectTokens;
import io.quotient.server.problem.ProblemException;
import java.time.Duration;
import java.util.Set;

/** Credentials: API keys ({@code /v1/keys}) and subject tokens ({@code POST /v1/subjects/{id}/tokens}). */
final class CredentialRoutes {
  private final ApiKeys keys;
  private final SubjectTokens tokens;
  private final Exchange exchange;

  CredentialRoutes(ApiKeys keys, SubjectTokens tokens, Exchange exchange) {
    this.keys = keys;
    this.tokens = tokens;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/subjects/{id}/tokens", this::token, Access.ADMIN);
    routes.post("/v1/keys", this::createKey, Access.ADMIN);
    routes.get("/v1/keys", this::listKeys, Access.ADMIN);
    routes.delete("/v1/keys/{id}", this::revokeKey, Access.ADMIN);
  }

  private void token(Context ctx) {
    String id = pathId(ctx);
    Body body = exchange.body(ctx, false).only(Set.of("ttlSeconds"));
    Long ttl = body.optWholeNumber("ttlSeconds", 1, SubjectTokens.MAX_TTL.toSeconds());
    SubjectTokens.IssuedToken token =
        tokens.issue(id, ttl == null ? SubjectTokens.DEFAULT_TTL : Duration.ofSeconds(ttl));
    json(ctx, 201, new Token(token.token(), token.subject(), token.expiresAt()));
  }

  private void createKey(Context ctx) {
    Body body = exchange.body(ctx, true).only(Set.of("name", "role"));
    String name = body.string("name");
    String roleName = body.string("role");
    Role role = Role.fromWireName(roleName);
    if (role == null) {
      throw ProblemException.invalid("role", "must be admin, service or read, was '" + roleName + "'");
    }
    ApiKeys.IssuedKey issued = Body.within("", () -> keys.create(name, role));
    json(ctx, 201, Wire.issuedKey(issued));
  }

  private void listKeys(Context ctx) {
    json(ctx, 200, new Keys(keys.list().stream().map(Wire::key).toList()));
  }

  private void revokeKey(Context ctx) {
    String id = ctx.pathParam("id");
    Body.within("", () -> Names.requireId(id, "id"));
    json(ctx, 200, Wire.key(keys.revoke(id)));
  }
}
