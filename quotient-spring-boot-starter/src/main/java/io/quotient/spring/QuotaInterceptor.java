package io.quotient.spring;

import io.quotient.servlet.QuotaGate;
import io.quotient.servlet.QuotaRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Applies {@link Quota} to the handler methods that carry it, through the same {@link QuotaGate}
 * as the filter: admits before the handler, settles a hold after the request completes (with the
 * final status, or as failed when the handler threw). A handler's quotas are read once and kept.
 */
final class QuotaInterceptor implements HandlerInterceptor {
  private static final String HOLD = QuotaInterceptor.class.getName() + ".reservation";

  private final QuotaGate gate;
  private final QuotientProperties properties;
  private final Map<Method, Optional<QuotaRoute>> routes = new ConcurrentHashMap<>();

  QuotaInterceptor(QuotaGate gate, QuotientProperties properties) {
    this.gate = gate;
    this.properties = properties;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    QuotaRoute route = routes.computeIfAbsent(method.getMethod(), m -> routeOf(method)).orElse(null);
    if (route == null) {
      return true;
    }
    QuotaGate.Admission admission = gate.admit(request, response, route);
    if (admission.reservationId() != null) {
      request.setAttribute(HOLD, admission.reservationId());
    }
    return admission.proceed();
  }

  @Override
  public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    Object hold = request.getAttribute(HOLD);
    if (hold instanceof String reservationId) {
      request.removeAttribute(HOLD);
      gate.settle(reservationId, ex == null && response.getStatus() < 400);
    }
  }

  private Optional<QuotaRoute> routeOf(HandlerMethod handler) {
    Set<Quota> quotas = AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(), Quota.class);
    if (quotas.isEmpty()) {
      quotas = AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getBeanType(), Quota.class);
    }
    if (quotas.isEmpty()) {
      return Optional.empty();
    }
    String where = handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName();
    QuotaRoute.Builder route = QuotaRoute.path("/" + where);
    Set<Quota.ChargeOn> chargeOn = new HashSet<>();
    Set<String> metrics = new HashSet<>();
    for (Quota quota : quotas) {
      if (!metrics.add(quota.metric())) {
        throw new IllegalStateException("@Quota on " + where + " names " + quota.metric() + " twice");
      }
      chargeOn.add(quota.chargeOn());
      route.metric(quota.metric(), quota.amount());
    }
    if (chargeOn.size() > 1) {
      throw new IllegalStateException("the @Quota annotations on " + where + " are charged together: give them one chargeOn");
    }
    route.mode(chargeOn.contains(Quota.ChargeOn.SUCCESS) ? QuotaRoute.Mode.CHARGE_ON_SUCCESS : QuotaRoute.Mode.CONSUME)
        .failureMode(QuotaRoute.FailureMode.parse(properties.failureMode()))
        .denialStatus(properties.denialStatus())
        .upgradeUrl(properties.upgradeUrl());
    return Optional.of(route.build());
  }
}
