/**
 * Cross-origin access for browser pages: the origins an operator lists may call, from a page's
 * JavaScript, the routes a subject token may call (its own usage today); preflights on those
 * routes are answered here, before authentication, because they carry no credential.
 */
package io.quotient.server.cors;
