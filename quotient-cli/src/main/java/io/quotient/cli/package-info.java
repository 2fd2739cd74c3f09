/**
 * {@code bin/quotient}'s operator commands: picocli commands over the Java client, with output as
 * a table, JSON or RFC 4180 CSV, and exit codes that say what kind of fault stopped a command.
 */
package io.quotient.cli;
