/**
 * Decisions: what a consume, check or reservation asks for and what the engine answers. A denial
 * is a {@link io.quotient.decision.Decision} with {@code allowed == false} and a reason, never an
 * exception.
 */
package io.quotient.decision;
