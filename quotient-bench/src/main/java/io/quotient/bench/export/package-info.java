/** The usage export benchmark: a million counter rows streamed as CSV by a server with a small heap. */
package io.quotient.bench.export;
