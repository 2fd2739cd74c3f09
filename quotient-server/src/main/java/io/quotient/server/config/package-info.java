/**
 * Configuration: the server's settings from a properties file and the environment (the
 * environment wins), checked at start so that a bad setting stops the start with a message that
 * names it.
 */
package io.quotient.server.config;
