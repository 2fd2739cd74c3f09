package io.quotient.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.quotient.servlet.QuotaDecision;

/** A small application on the starter: a sign-in stand-in, and handlers charged by properties and by {@code @Quota}. */
@SpringBootApplication
class StarterApp {
  /** Signs the request in as the {@code X-User} header's user (ahead of the quota filter, as a security chain would be). */
  @Bean
  FilterRegistrationBean<Filter> signIn() {
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
      HttpServletRequest http = (HttpServletRequest) request;
      String user = http.getHeader("X-User");
      chain.doFilter(user == null ? request : new HttpServletRequestWrapper(http) {
        @Override
        public Principal getUserPrincipal() {
          return () -> user;
        }
      }, response);
    });
    registration.setOrder(-100);
    return registration;
  }

  @RestController
  static class Handlers {
    @PostMapping("/api/props")
    Map<String, Object> props(@RequestAttribute(QuotaDecision.ATTRIBUTE) QuotaDecision decision) {
      return Map.of("remaining", decision.remaining("ai_generations"));
    }

    @PostMapping("/api/generate")
    @Quota(metric = "ai_generations", amount = 1, chargeOn = Quota.ChargeOn.SUCCESS)
    ResponseEntity<Map<String, Object>> generate(@RequestParam(name = "fail", defaultValue = "false") boolean fail,
        @RequestAttribute(QuotaDecision.ATTRIBUTE) QuotaDecision decision) {
      if (fail) {
        return ResponseEntity.status(502).body(Map.of("error", "the model failed"));
      }
      return ResponseEntity.ok(Map.of("remaining", decision.remaining("ai_generations")));
    }

    @PostMapping("/api/premium")
    @Quota(metric = "messages")
    @Quota(metric = "premium_messages")
    Map<String, Object> premium() {
      return Map.of("ok", true);
    }

    @PostMapping("/api/counted")
    @Quota(metric = "messages", chargeOn = Quota.ChargeOn.REQUEST)
    Map<String, Object> counted(@RequestParam(name = "fail", defaultValue = "false") boolean fail) {
      if (fail) {
        throw new IllegalStateException("the handler failed");
      }
      return Map.of("ok", true);
    }
  }
}
