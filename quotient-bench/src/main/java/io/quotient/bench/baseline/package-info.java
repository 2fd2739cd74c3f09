/**
 * The baselines measured in the same run: the seeds' design (one SERIALIZABLE PL/pgSQL call per
 * request, driven by pgbench) and an atomic Redis Lua script (driven by redis-benchmark), run
 * through the shared scripts and parsed into table rows.
 */
package io.quotient.bench.baseline;
