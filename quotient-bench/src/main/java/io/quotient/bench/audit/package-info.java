/**
 * The audit after every scenario: reads the engine's tables and checks that the units the callers
 * were granted, the counters and the consume events agree exactly, that every denial was recorded,
 * and that no subject is past its hard limit. A failed audit fails the run.
 */
package io.quotient.bench.audit;
