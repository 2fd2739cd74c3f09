package io.quotient.server.cors;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A web origin, {@code scheme://host[:port]}, in the form browsers send in the {@code Origin}
 * header: scheme and host in lower case, no default port (80 for http, 443 for https), no path.
 *
 * @param value the serialized origin, such as {@code https://app.example.com}
 */
public record Origin(String value) {

  /** Refuses a value that is not an origin in the form browsers send; {@link #parse} makes one. */
  public Origin {
    if (!canonical(value).equals(value)) {
      throw new IllegalArgumentException("'" + value + "' is not in the form browsers send; use Origin.parse");
    }
  }

  /**
   * Reads an origin as an operator writes it.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static Origin parse(String text) {
    return new Origin(canonical(text));
  }

  private static String canonical(String text) {
    String s = text.strip();
    if (s.isEmpty() || s.equals("*") || s.equals("null")) {
      throw new IllegalArgumentException("'" + s + "' is not an origin; list each one as scheme://host[:port],"
          + " for example https://app.example.com");
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw notAnOrigin(s, e.getReason());
    }
    if (uri.getScheme() == null || uri.getRawAuthority() == null) {
      throw notAnOrigin(s, "it needs a scheme and a host");
    }
    if (uri.getHost() == null) {
      throw notAnOrigin(s, "its host is not a host name or an IP address");
    }
    if (uri.getRawUserInfo() != null) {
      throw notAnOrigin(s, "it has a user name");
    }
    if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // A trailing slash is the usual slip: the browser never sends one.
      throw notAnOrigin(s, "it has a path, query or fragment (browsers send no trailing slash)");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (port == 0 || port > 65535) {
      throw notAnOrigin(s, "its port is not between 1 and 65535");
    }
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  /** True when a request's {@code Origin} header names this origin. */
  boolean matches(String header) {
    // Browsers serialize scheme and host in lower case; ignoring case costs nothing and forgives clients.
    return value.equalsIgnoreCase(header.strip());
  }

  private static IllegalArgumentException notAnOrigin(String text, String why) {
    return new IllegalArgumentException("'" + text + "' is not an origin: " + why
        + "; write scheme://host[:port], for example https://app.example.com");
  }

  @Override
  public String toString() {
    return value;
  }
}
