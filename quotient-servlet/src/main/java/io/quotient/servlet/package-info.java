/**
 * A Jakarta Servlet 6 filter that protects routes with Quotient: {@link io.quotient.servlet.QuotaFilter}
 * with its {@link io.quotient.servlet.QuotaRoute}s, the {@link io.quotient.servlet.QuotaSubjectResolver}
 * the application provides, and the {@link io.quotient.servlet.QuotaDecision} a handler reads.
 */
package io.quotient.servlet;
