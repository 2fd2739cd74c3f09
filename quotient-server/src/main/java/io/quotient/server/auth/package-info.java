/**
 * Credentials: API keys with roles (stored as SHA-256 hashes only, revoked at once), signed
 * short-lived subject tokens that read one subject's usage, and the check that runs before every
 * route to decide who is calling and whether the route allows it.
 */
package io.quotient.server.auth;
