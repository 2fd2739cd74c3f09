/**
 * The test kit: {@link io.quotient.testkit.QuotientTestServer}, a real Quotient server started in
 * the test's own process on a free port, over a database of its own (an embedded PostgreSQL, or a
 * fresh schema on the PostgreSQL that {@code QUOTIENT_TEST_DATABASE_URL} names), with the plans the
 * test gives and an admin, a service and a read key handed out. It is for applications' own tests
 * of their Quotient integration, as Javalin's test tools are for Javalin applications.
 */
package io.quotient.testkit;
