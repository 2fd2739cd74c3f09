package io.quotient.server.auth;

import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * What a route needs from its caller. A route registered without an access level is public
 * (health, metrics, the OpenAPI document).
 */
public enum Access implements RouteRole {
  /** Deciding quota: roles {@code service} and {@code admin}. */
  ENFORCE(Set.of(Role.ADMIN, Role.SERVICE), false),
  /** Reading one subject's usage: every role, and a subject token for its own subject. */
  USAGE(Set.of(Role.ADMIN, Role.SERVICE, Role.READ), true),
  /**
   * Following the live stream: roles {@code read} and {@code admin} (every subject), and a subject
   * token (the route limits it to its own subject's messages).
   */
  STREAM(Set.of(Role.ADMIN, Role.READ), true),
  /** Reading plans, subjects, grants and events: roles {@code read} and {@code admin}. */
  READ(Set.of(Role.ADMIN, Role.READ), false),
  /** Changing plans, subjects, grants, keys; issuing tokens: role {@code admin}. */
  ADMIN(Set.of(Role.ADMIN), false);

  private final Set<Role> roles;
  private final boolean subjectTokens;

  Access(Set<Role> roles, boolean subjectTokens) {
    this.roles = roles;
    this.subjectTokens = subjectTokens;
  }

  /**
   * True when a subject token may call a route needing this access (for its own subject). Such
   * routes are the ones an end user's page calls, so they are also the ones open to CORS.
   */
  public boolean admitsSubjectTokens() {
    return subjectTokens;
  }

  /** True when a key with {@code role} may use a route needing this access. */
  public boolean allows(Role role) {
    return roles.contains(role);
  }

  /** The roles allowed. */
  public Set<Role> roles() {
    return roles;
  }
}
