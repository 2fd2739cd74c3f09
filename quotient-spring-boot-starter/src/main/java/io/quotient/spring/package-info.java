/**
 * Spring Boot 3 glue for Quotient: the auto-configuration ({@code quotient.*} properties), the
 * {@link io.quotient.spring.Quota @Quota} annotation for controller methods, and the Actuator
 * health indicator.
 */
package io.quotient.spring;
