/**
 * Quotient's shared vocabulary: the exception family every public operation throws for bad
 * arguments, unknown entities and storage failures. Denials are never exceptions; they are
 * {@link io.quotient.decision.Decision} values.
 */
package io.quotient;
