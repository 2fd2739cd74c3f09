/**
 * Engine scenarios: {@link io.quotient.engine.Quotient} in this process on a fresh schema, with
 * durable commits, driven by virtual-thread callers calling {@code consume}.
 */
package io.quotient.bench.engine;
