/**
 * The Quotient server: the process that opens the database, starts the engine and serves the HTTP
 * API ({@link io.quotient.server.QuotientServer}), its command line ({@link io.quotient.server.Main})
 * and its start-up duties: the server's own schema, the bootstrap admin key, the plans to install.
 */
package io.quotient.server;
