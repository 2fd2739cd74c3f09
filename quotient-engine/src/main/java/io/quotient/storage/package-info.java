/**
 * Storage: the PostgreSQL database Quotient keeps its state in, external (named by a URL) or
 * embedded (real PostgreSQL binaries, data in a local directory that survives restarts), with
 * the schema brought up to date by Flyway migrations.
 */
package io.quotient.storage;
