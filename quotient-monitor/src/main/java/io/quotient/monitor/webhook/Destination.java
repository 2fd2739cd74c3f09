package io.quotient.monitor.webhook;

import io.quotient.InvalidArgumentException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may go: http(s) URLs only, and — unless private addresses are allowed — none
 * that names or resolves to a loopback, private, link-local, unique-local, carrier-grade NAT,
 * unspecified or multicast address (a webhook must not reach into the server's own network).
 * Checked at creation (the literal address, or the name resolved then) and before every delivery
 * (the name resolved again). Stateless.
 */
final class Destination {
  private static final int MAX_LENGTH = 2048;

  private Destination() {}

  /** The URL, checked for its form (and its addresses unless {@code allowPrivate}); names {@code url} when refused. */
  static URI check(String url, boolean allowPrivate) {
    URI uri = parse(url);
    if (!allowPrivate) {
      String refusal = refusal(uri);
      if (refusal != null) {
        throw new InvalidArgumentException("url", refusal);
      }
    }
    return uri;
  }

  static URI parse(String url) {
    InvalidArgumentException.require(url != null && !url.isBlank(), "url", "is required");
    InvalidArgumentException.require(url.length() <= MAX_LENGTH, "url", "must be at most " + MAX_LENGTH + " characters");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidArgumentException("url", "is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    InvalidArgumentException.require(scheme.equals("http") || scheme.equals("https"), "url", "must be an http or https URL");
    InvalidArgumentException.require(uri.getHost() != null && !uri.getHost().isEmpty(), "url", "must name a host");
    InvalidArgumentException.require(uri.getRawUserInfo() == null, "url", "must not carry a user name or password");
    InvalidArgumentException.require(uri.getRawFragment() == null, "url", "must not have a fragment");
    return uri;
  }

  /** Why {@code uri}'s host may not be called (every address it resolves to is checked); null when it may. */
  static String refusal(URI uri) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return "its host " + host + " does not resolve";
    }
    for (InetAddress address : addresses) {
      if (internal(address)) {
        return "its host " + host + " is " + address.getHostAddress()
            + ", a loopback, private or link-local address (QUOTIENT_WEBHOOKS_ALLOW_PRIVATE=true allows these)";
      }
    }
    return null;
  }

  static boolean internal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT 100.64/10
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments 192.0.0/24
          || first >= 240; // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      // IPv4-mapped (::ffff:a.b.c.d): judge the IPv4 address
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
      }
    }
    return false;
  }
}
