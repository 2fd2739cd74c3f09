/**
 * {@code bench/run cluster}: three server processes on one PostgreSQL schema and one Redis, loaded
 * round-robin; the audit, burst limits across instances, and a SIGKILL of one instance under load.
 */
package io.quotient.bench.cluster;
