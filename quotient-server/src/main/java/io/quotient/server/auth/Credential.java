package io.quotient.server.auth;

import java.time.Instant;

/** Who is calling: an API key or a subject token. */
public sealed interface Credential {

  /** The idempotency scope and the actor recorded with events. */
  String scope();

  /**
   * An API key.
   *
   * @param id the key's id (not the key)
   * @param name the name it was created with
   * @param role what it may do
   */
  record Key(String id, String name, Role role) implements Credential {
    @Override
    public String scope() {
      return "key:" + id;
    }
  }

  /**
   * A subject token: reads {@code subject}'s usage until {@code expiresAt}, nothing else.
   *
   * @param subject the one subject it may read
   * @param expiresAt when it stops working
   */
  record SubjectToken(String subject, Instant expiresAt) implements Credential {
    @Override
    public String scope() {
      return "token:" + subject;
    }
  }
}
