/**
 * Quotient's benchmark suite: the command line ({@link io.quotient.bench.Main}), its options and
 * the order scenarios and baselines run in. Each concept has its own package: load drivers,
 * engine and HTTP scenarios, baselines, the database audit, memory soak and the report table.
 */
package io.quotient.bench;
