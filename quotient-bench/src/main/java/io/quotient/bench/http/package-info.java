/**
 * HTTP scenarios: the server started as a child process on a fresh schema, set up through its
 * admin API, and loaded over loopback by a lean keep-alive HTTP/1.1 client (one socket per caller,
 * requests written in one write, responses parsed in place) so that the load generator is not the
 * bottleneck.
 */
package io.quotient.bench.http;
