package io.quotient.redis;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where Redis is: {@code redis://[user:password@]host[:port][/db]}, {@code rediss://…} (TLS), or a
 * Redis Cluster as {@code redis-cluster://[user:password@]host:port[,host:port…]} ({@code
 * rediss-cluster://} with TLS), whose hosts are the seeds the cluster's topology is read from.
 */
record RedisAddress(boolean cluster, List<RedisURI> nodes) {
  RedisAddress {
    nodes = List.copyOf(nodes);
  }

  static RedisAddress parse(String url) {
    Objects.requireNonNull(url, "url");
    int colon = url.indexOf("://");
    if (colon < 0) {
      throw new IllegalArgumentException("not a Redis URL (redis://, rediss://, redis-cluster://, rediss-cluster://): " + redact(url));
    }
    String scheme = url.substring(0, colon);
    String rest = url.substring(colon + 3);
    return switch (scheme) {
      case "redis", "rediss" -> new RedisAddress(false, List.of(uri(url)));
      case "redis-cluster", "rediss-cluster" -> {
        String base = scheme.startsWith("rediss") ? "rediss://" : "redis://";
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? "" : rest.substring(0, at + 1);
        String hosts = at < 0 ? rest : rest.substring(at + 1);
        int slash = hosts.indexOf('/');
        if (slash >= 0) {
          hosts = hosts.substring(0, slash); // a cluster has only database 0
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String host : hosts.split(",")) {
          if (host.isBlank()) {
            throw new IllegalArgumentException("empty host in Redis Cluster URL: " + redact(url));
          }
          seeds.add(uri(base + userInfo + host.strip()));
        }
        yield new RedisAddress(true, seeds);
      }
      default -> throw new IllegalArgumentException(
          "unknown Redis URL scheme '" + scheme + "' (redis, rediss, redis-cluster, rediss-cluster): " + redact(url));
    };
  }

  private static RedisURI uri(String url) {
    try {
      return RedisURI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid Redis URL: " + redact(url) + " (" + e.getMessage() + ")", e);
    }
  }

  /** The URL without its password, for messages. */
  static String redact(String url) {
    int colon = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return colon >= 0 && at > colon ? url.substring(0, colon + 3) + "***@" + url.substring(at + 1) : url;
  }
}
