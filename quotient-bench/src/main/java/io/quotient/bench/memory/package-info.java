/**
 * The memory soak: the server with a 512 MB heap under steady load for minutes, sampling the heap
 * left after each collection (from the server's own GC log, so sampling does not disturb it) and
 * the process's resident size, to show whether memory stays flat.
 */
package io.quotient.bench.memory;
