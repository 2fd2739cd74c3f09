package io.quotient.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.server.cors.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void defaults_are_port_8080_data_dir_and_the_free_plan() {
    ServerConfig config = ServerConfig.load(new String[0], Map.of());
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("data"));
    assertThat(config.databaseUrl()).isNull();
    assertThat(config.defaultPlan()).isEqualTo("free");
  }

  @Test
  void the_environment_wins_over_the_config_file() throws IOException {
    Path file = Files.writeString(dir.resolve("quotient.properties"), "quotient.port=9000\nquotient.data-dir=/srv/q\n");
    ServerConfig config = ServerConfig.load(new String[] {"--config", file.toString()}, Map.of("QUOTIENT_PORT", "9100"));
    assertThat(config.port()).isEqualTo(9100);
    assertThat(config.dataDir()).isEqualTo(Path.of("/srv/q"));
  }

  @Test
  void quotient_config_names_the_file_too() throws IOException {
    Path file = Files.writeString(dir.resolve("q.properties"), "quotient.database-url=postgresql://u:p@db:5432/q\n");
    ServerConfig config = ServerConfig.load(new String[0], Map.of("QUOTIENT_CONFIG", file.toString()));
    assertThat(config.databaseUrl()).isEqualTo("postgresql://u:p@db:5432/q");
  }

  @Test
  void events_are_kept_400_days_unless_told_otherwise() {
    assertThat(ServerConfig.load(new String[0], Map.of()).eventRetentionDays()).isEqualTo(400);
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_EVENT_RETENTION_DAYS", "30")).eventRetentionDays())
        .isEqualTo(30);
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_EVENT_RETENTION_DAYS", "0")).eventRetentionDays())
        .as("0 keeps every event").isZero();
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_EVENT_RETENTION_DAYS", "-1")))
        .hasMessageStartingWith("QUOTIENT_EVENT_RETENTION_DAYS:");
  }

  @Test
  void a_bad_port_stops_the_start_naming_the_setting() {
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("QUOTIENT_PORT:")
        .hasMessageContaining("eighty");
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_PORT", "70000")))
        .hasMessageStartingWith("QUOTIENT_PORT:");
  }

  @Test
  void a_redis_url_is_read_and_a_bad_one_names_the_setting() {
    assertThat(ServerConfig.load(new String[0], Map.of()).redisUrl()).isNull();
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_REDIS_URL", "rediss://:secret@cache:6380")).redisUrl())
        .isEqualTo("rediss://:secret@cache:6380");
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_REDIS_URL", "redis-cluster://a:7000,b:7001")).redisUrl())
        .isEqualTo("redis-cluster://a:7000,b:7001");
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_REDIS_URL", "memcached://x:11211")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("QUOTIENT_REDIS_URL:");
  }

  @Test
  void a_bad_database_url_names_the_setting() {
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_DATABASE_URL", "mysql://x/y")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("QUOTIENT_DATABASE_URL:");
  }

  @Test
  void both_database_url_forms_are_accepted() {
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_DATABASE_URL", "jdbc:postgresql://h:5432/d")).databaseUrl())
        .isEqualTo("jdbc:postgresql://h:5432/d");
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_DATABASE_URL", "postgresql://u:p@h:5432/d")).databaseUrl())
        .isEqualTo("postgresql://u:p@h:5432/d");
  }

  @Test
  void a_short_bootstrap_key_names_the_setting() {
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_BOOTSTRAP_ADMIN_KEY", "short")))
        .hasMessageStartingWith("QUOTIENT_BOOTSTRAP_ADMIN_KEY:");
  }

  @Test
  void a_missing_plans_file_names_the_setting() {
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_PLANS_FILE", dir.resolve("none.json").toString())))
        .hasMessageStartingWith("QUOTIENT_PLANS_FILE:");
  }

  @Test
  void an_unknown_key_in_the_file_is_refused_by_name() throws IOException {
    Path file = Files.writeString(dir.resolve("quotient.properties"), "quotient.prot=9000\n");
    assertThatThrownBy(() -> ServerConfig.load(new String[] {"--config", file.toString()}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("quotient.prot:");
  }

  @Test
  void a_missing_config_file_and_an_unknown_option_are_refused() {
    assertThatThrownBy(() -> ServerConfig.load(new String[] {"--config", dir.resolve("none").toString()}, Map.of()))
        .hasMessageStartingWith("QUOTIENT_CONFIG:");
    assertThatThrownBy(() -> ServerConfig.load(new String[] {"--port", "1"}, Map.of()))
        .hasMessageStartingWith("--port:");
  }

  @Test
  void private_webhook_addresses_are_refused_unless_the_setting_says_true() {
    assertThat(ServerConfig.load(new String[0], Map.of()).webhooksAllowPrivate()).isFalse();
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_WEBHOOKS_ALLOW_PRIVATE", "true")).webhooksAllowPrivate()).isTrue();
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_WEBHOOKS_ALLOW_PRIVATE", "FALSE")).webhooksAllowPrivate()).isFalse();
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_WEBHOOKS_ALLOW_PRIVATE", "yes")))
        .hasMessageStartingWith("QUOTIENT_WEBHOOKS_ALLOW_PRIVATE:");
  }

  @Test
  void cors_origins_are_none_by_default_and_read_as_a_comma_separated_list() throws IOException {
    assertThat(ServerConfig.load(new String[0], Map.of()).corsOrigins()).isEmpty();
    assertThat(ServerConfig.load(new String[0], Map.of("QUOTIENT_CORS_ORIGINS", "https://app.example.com, http://localhost:5173,"))
        .corsOrigins()).extracting(Origin::value).containsExactly("https://app.example.com", "http://localhost:5173");
    Path file = Files.writeString(dir.resolve("quotient.properties"), "quotient.cors-origins=HTTPS://App.Example.com:443\n");
    assertThat(ServerConfig.load(new String[] {"--config", file.toString()}, Map.of()).corsOrigins())
        .extracting(Origin::value).containsExactly("https://app.example.com");
  }

  @Test
  void a_bad_cors_origin_stops_the_start_naming_the_setting_and_the_origin() throws IOException {
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_CORS_ORIGINS", "https://ok.example,https://app.example.com/")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("QUOTIENT_CORS_ORIGINS:")
        .hasMessageContaining("https://app.example.com/")
        .hasMessageContaining("path");
    assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("QUOTIENT_CORS_ORIGINS", "*")))
        .hasMessageStartingWith("QUOTIENT_CORS_ORIGINS:");
    Path file = Files.writeString(dir.resolve("quotient.properties"), "quotient.cors-origins=app.example.com\n");
    assertThatThrownBy(() -> ServerConfig.load(new String[] {"--config", file.toString()}, Map.of()))
        .hasMessageStartingWith("QUOTIENT_CORS_ORIGINS:")
        .hasMessageContaining("app.example.com");
  }
}
