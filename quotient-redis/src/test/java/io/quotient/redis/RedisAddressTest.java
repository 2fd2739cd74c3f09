package io.quotient.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

class RedisAddressTest {
  @Test
  void redis_and_rediss_urls_name_one_server() {
    RedisAddress plain = RedisAddress.parse("redis://cache:6380/2");
    assertThat(plain.cluster()).isFalse();
    assertThat(plain.nodes()).singleElement().satisfies(uri -> {
      assertThat(uri.getHost()).isEqualTo("cache");
      assertThat(uri.getPort()).isEqualTo(6380);
      assertThat(uri.getDatabase()).isEqualTo(2);
      assertThat(uri.isSsl()).isFalse();
    });
    assertThat(RedisAddress.parse("rediss://:secret@cache:6390").nodes().get(0).isSsl()).isTrue();
  }

  @Test
  void cluster_urls_name_every_seed_with_the_same_credentials_and_tls() {
    RedisAddress cluster = RedisAddress.parse("rediss-cluster://user:secret@a:7000,b:7001, c:7002");
    assertThat(cluster.cluster()).isTrue();
    assertThat(cluster.nodes()).extracting(RedisURI::getHost).containsExactly("a", "b", "c");
    assertThat(cluster.nodes()).extracting(RedisURI::getPort).containsExactly(7000, 7001, 7002);
    assertThat(cluster.nodes()).allSatisfy(uri -> {
      assertThat(uri.isSsl()).isTrue();
      var credentials = uri.getCredentialsProvider().resolveCredentials().block();
      assertThat(credentials.getUsername()).isEqualTo("user");
      assertThat(new String(credentials.getPassword())).isEqualTo("secret");
    });
  }

  @Test
  void bad_urls_are_refused_without_showing_the_password() {
    assertThatThrownBy(() -> RedisAddress.parse("memcached://:secret@x:11211"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown Redis URL scheme 'memcached'")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://a:7000,,b:7001"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty host");
    assertThatThrownBy(() -> RedisAddress.parse("cache:6379")).isInstanceOf(IllegalArgumentException.class);
  }
}
