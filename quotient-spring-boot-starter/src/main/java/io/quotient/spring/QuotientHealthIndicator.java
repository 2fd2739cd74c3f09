package io.quotient.spring;

import io.quotient.client.QuotientClient;
import io.quotient.client.QuotientException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The Actuator health of the application's link to Quotient ({@code /actuator/health/quotient}):
 * up when Quotient's readiness answers {@code up}; down when it does not, when it cannot be asked,
 * or while the client's circuit breaker is open (then without sending anything).
 */
public final class QuotientHealthIndicator implements HealthIndicator {
  private final QuotientClient client;

  /** Reports on {@code client}'s server. */
  public QuotientHealthIndicator(QuotientClient client) {
    this.client = client;
  }

  @Override
  public Health health() {
    if (client.isCircuitOpen()) {
      return Health.down().withDetail("circuitBreaker", "open").build();
    }
    try {
      io.quotient.api.Health ready = client.health();
      Health.Builder health = "up".equals(ready.status()) ? Health.up() : Health.down();
      return health.withDetail("database", String.valueOf(ready.database())).build();
    } catch (QuotientException e) {
      return Health.down().withDetail("error", e.getMessage()).build();
    }
  }
}
