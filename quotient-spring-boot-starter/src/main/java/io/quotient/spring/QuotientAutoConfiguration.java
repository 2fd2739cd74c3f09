package io.quotient.spring;

import io.quotient.client.QuotientClient;
import io.quotient.servlet.QuotaFilter;
import io.quotient.servlet.QuotaGate;
import io.quotient.servlet.QuotaRoute;
import io.quotient.servlet.QuotaSubjectResolver;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Quotient for a Spring Boot 3 application, from {@code quotient.url} and {@code quotient.api-key}:
 * the {@link QuotientClient}; in a servlet web application the {@link QuotaSubjectResolver}
 * (default: the authenticated principal's name), the {@link QuotaGate}, the {@link QuotaFilter}
 * over {@code quotient.routes} and every {@link QuotaRoute} bean, and {@link Quota @Quota} on
 * Spring MVC handlers; with Actuator, the {@code quotient} health indicator. Every bean backs off
 * when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(QuotientClient.class)
@ConditionalOnProperty(prefix = "quotient", name = "url")
@EnableConfigurationProperties(QuotientProperties.class)
public class QuotientAutoConfiguration {
  /** The filter registration's order: after Spring Security's chain (-100), so the principal is known. */
  public static final int FILTER_ORDER = 0;

  /** The client, shared by the application; closed with the context. */
  @Bean
  @ConditionalOnMissingBean
  public QuotientClient quotientClient(QuotientProperties properties) {
    if (properties.apiKey() == null) {
      throw new IllegalStateException("quotient.api-key (QUOTIENT_APIKEY) is required with quotient.url");
    }
    QuotientClient.Builder client = QuotientClient.builder()
        .url(properties.url())
        .apiKey(properties.apiKey())
        .connectTimeout(properties.connectTimeout())
        .requestTimeout(properties.requestTimeout())
        .retries(properties.retries());
    QuotientProperties.CircuitBreaker breaker = properties.circuitBreaker();
    if (breaker.failures() == 0) {
      client.noCircuitBreaker();
    } else {
      client.circuitBreaker(breaker.failures(), breaker.openFor());
    }
    return client.build();
  }

  /** The servlet side: the subject, the gate, the filter and {@code @Quota}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(QuotaGate.class)
  static class ServletQuotas {
    /** The authenticated principal's name; none (a 401) when the request has no principal. */
    @Bean
    @ConditionalOnMissingBean
    QuotaSubjectResolver quotaSubjectResolver() {
      return request -> {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null : principal.getName();
      };
    }

    @Bean
    @ConditionalOnMissingBean
    QuotaGate quotaGate(QuotientClient client, QuotaSubjectResolver subjects) {
      return QuotaGate.builder(client).subjects(subjects).build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "quotaFilterRegistration")
    FilterRegistrationBean<QuotaFilter> quotaFilterRegistration(
        QuotaGate gate, QuotientProperties properties, ObjectProvider<QuotaRoute> routeBeans) {
      List<QuotaRoute> routes = new ArrayList<>();
      for (int i = 0; i < properties.routes().size(); i++) {
        routes.add(route(properties, properties.routes().get(i), i));
      }
      routeBeans.orderedStream().forEach(routes::add);
      FilterRegistrationBean<QuotaFilter> registration = new FilterRegistrationBean<>(QuotaFilter.of(gate, routes));
      registration.setName("quotaFilter");
      registration.setOrder(FILTER_ORDER);
      registration.addUrlPatterns("/*");
      return registration;
    }

    private static QuotaRoute route(QuotientProperties properties, QuotientProperties.Route r, int index) {
      String at = "quotient.routes[" + index + "]";
      if (r.path() == null || r.metric() == null) {
        throw new IllegalStateException(at + " needs a path and a metric");
      }
      try {
        QuotaRoute.Builder route = QuotaRoute.path(r.path())
            .metric(r.metric(), r.amount())
            .mode(QuotaRoute.Mode.parse(r.mode()))
            .failureMode(QuotaRoute.FailureMode.parse(r.failureMode() != null ? r.failureMode() : properties.failureMode()))
            .denialStatus(r.denialStatus() != null ? r.denialStatus() : properties.denialStatus())
            .deduplicate(r.deduplicate())
            .upgradeUrl(r.upgradeUrl() != null ? r.upgradeUrl() : properties.upgradeUrl());
        if (r.methods() != null && !r.methods().isEmpty()) {
          route.methods(r.methods().toArray(String[]::new));
        }
        return route.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalStateException(at + ": " + e.getMessage(), e);
      }
    }

    /** {@code @Quota} on Spring MVC handler methods. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class Annotations implements WebMvcConfigurer {
      private final QuotaGate gate;
      private final QuotientProperties properties;

      Annotations(QuotaGate gate, QuotientProperties properties) {
        this.gate = gate;
        this.properties = properties;
      }

      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new QuotaInterceptor(gate, properties));
      }
    }
  }

  /** The Actuator health indicator {@code quotient}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("quotient")
  static class HealthIndicatorConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "quotientHealthIndicator")
    QuotientHealthIndicator quotientHealthIndicator(QuotientClient client) {
      return new QuotientHealthIndicator(client);
    }
  }
}
