package io.quotient.examples.chat;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who is asking: the {@code X-User} header (a stand-in for real sign-in), or, without one, an
 * anonymous user counted per client address.
 */
final class Users {
  static final String HEADER = "X-User";
  static final String ANONYMOUS_PREFIX = "anonymous:";

  private Users() {}

  /** The Quotient subject of {@code request}. */
  static String subjectOf(HttpServletRequest request) {
    String user = request.getHeader(HEADER);
    return user == null || user.isBlank() ? ANONYMOUS_PREFIX + request.getRemoteAddr() : user.strip();
  }

  static boolean anonymous(String subject) {
    return subject.startsWith(ANONYMOUS_PREFIX);
  }
}
