package io.quotient.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code quotient.*} properties ({@code QUOTIENT_URL}, {@code QUOTIENT_APIKEY} and the like in
 * the environment).
 *
 * @param url the Quotient server's base URL, such as {@code http://localhost:8080}
 * @param apiKey the API key: a {@code service} key to enforce quotas
 * @param connectTimeout how long a connection to Quotient may take to open
 * @param requestTimeout how long one attempt may wait for Quotient's answer
 * @param retries how many times a call that failed may be sent again (0 to 10)
 * @param failureMode what protected requests get when Quotient cannot be asked: {@code fail-closed}
 *     (503) or {@code fail-open} (let through uncounted); routes may override it
 * @param denialStatus the status of a denial: 429, 402 or 403; routes may override it
 * @param upgradeUrl the URL a denial points the user to; routes may override it
 * @param circuitBreaker the client's circuit breaker
 * @param routes paths protected by the servlet filter, matched in order
 */
@ConfigurationProperties(prefix = "quotient")
public record QuotientProperties(
    String url,
    String apiKey,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration requestTimeout,
    @DefaultValue("2") int retries,
    @DefaultValue("fail-closed") String failureMode,
    @DefaultValue("429") int denialStatus,
    String upgradeUrl,
    @DefaultValue CircuitBreaker circuitBreaker,
    List<Route> routes) {

  public QuotientProperties {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /**
   * The client's circuit breaker.
   *
   * @param failures attempts in a row without an answer that open it; 0 turns it off
   * @param openFor how long calls then fail at once before a probe
   */
  public record CircuitBreaker(@DefaultValue("5") int failures, @DefaultValue("5s") Duration openFor) {}

  /**
   * One protected path.
   *
   * @param path the path pattern: {@code /api/chat}, or {@code /api/images/**} for everything below
   * @param methods the HTTP methods protected; every method when empty
   * @param metric the metric each request costs
   * @param amount units of the metric each request costs
   * @param mode {@code consume} (charged before the handler) or {@code charge-on-success}
   *     (committed when the status is below 400)
   * @param failureMode {@code fail-closed} or {@code fail-open}; {@code quotient.failure-mode} when unset
   * @param denialStatus 429, 402 or 403; {@code quotient.denial-status} when unset
   * @param deduplicate true to charge a request repeated within 5 seconds (same subject, path and
   *     body, no idempotency key) once
   * @param upgradeUrl the URL a denial names; {@code quotient.upgrade-url} when unset
   */
  public record Route(
      String path,
      List<String> methods,
      String metric,
      @DefaultValue("1") long amount,
      @DefaultValue("consume") String mode,
      String failureMode,
      Integer denialStatus,
      boolean deduplicate,
      String upgradeUrl) {}
}
