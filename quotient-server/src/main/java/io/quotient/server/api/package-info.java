/**
 * The HTTP API, v1: the routes, the strict mapping of JSON requests onto engine requests (every
 * refusal names its field), and the mapping of engine answers onto JSON. A thin adapter: every
 * quota decision is the engine's.
 */
package io.quotient.server.api;
