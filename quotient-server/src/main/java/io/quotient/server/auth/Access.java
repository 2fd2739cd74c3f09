package io.quotient.server.auth;

import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * What a route needs from its caller. A route registered without an access level is public
 * (health, metrics, the OpenAPI document).
 */
public enum Access implements RouteRole {
  /** Deciding quota: roles {@code service} and {@code admin}. */
  ENFORCE(Set.of(Role.ADMIN, Role.SERVICE)),
  /** Reading one subject's usage: every role, and a subject token for its own subject. */
  USAGE(Set.of(Role.ADMIN, Role.SERVICE, Role.READ)),
  /** Reading plans, subjects, grants and events: roles {@code read} and {@code admin}. */
  READ(Set.of(Role.ADMIN, Role.READ)),
  /** Changing plans, subjects, grants, keys; issuing tokens: role {@code admin}. */
  ADMIN(Set.of(Role.ADMIN));

  private final Set<Role> roles;

  Access(Set<Role> roles) {
    this.roles = roles;
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
