package io.quotient.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Charges a Spring MVC handler's requests to the subject the {@code QuotaSubjectResolver} bean
 * names (by default the authenticated principal's name).
 *
 * <pre>{@code
 * @PostMapping("/api/generate")
 * @Quota(metric = "ai_generations", amount = 1, chargeOn = Quota.ChargeOn.SUCCESS)
 * Image generate(@RequestBody Prompt prompt) { … }
 * }</pre>
 *
 * <p>Repeatable, all or nothing: several {@code @Quota} on one method are decided as one consume
 * (a premium message costs {@code messages} and {@code premium_messages} together, or nothing),
 * so they must agree on {@link #chargeOn}. On a class, it applies to every handler method
 * without one of its own. A denial answers as the servlet filter does (429 by default, with
 * {@code Retry-After}, {@code RateLimit-Policy}, {@code RateLimit} and a {@code quota-exceeded}
 * problem); {@code quotient.failure-mode}, {@code quotient.denial-status} and
 * {@code quotient.upgrade-url} apply.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(Quota.List.class)
public @interface Quota {
  /** The metric charged. */
  String metric();

  /** Units of {@link #metric} each request costs; 1 unless set. */
  long amount() default 1;

  /** When the request is charged; {@link ChargeOn#SUCCESS} unless set. */
  ChargeOn chargeOn() default ChargeOn.SUCCESS;

  /** When a request is charged. */
  enum ChargeOn {
    /** Consumed before the handler runs, whatever its answer (the seeds' middleware). */
    REQUEST,
    /** Held before the handler runs; committed when the answer's status is below 400, released otherwise. */
    SUCCESS
  }

  /** The container of repeated {@link Quota}s. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.TYPE})
  @interface List {
    /** The quotas, charged together. */
    Quota[] value();
  }
}
