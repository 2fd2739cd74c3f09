package io.quotient.testkit;

/**
 * A program that starts a test server on an embedded PostgreSQL, prints its data directory and
 * exits without closing it, as a test run that forgets to close ends: with {@code System.exit}
 * (test runners such as Surefire's fork end that way; the server's threads would keep the JVM
 * alive otherwise).
 */
final class Unclosed {
  private Unclosed() {}

  public static void main(String[] args) {
    QuotientTestServer server = QuotientTestServer.builder().embeddedDatabase().start();
    System.out.println("DIRECTORY " + server.databaseDirectory().toAbsolutePath());
    System.out.flush();
    System.exit(0);
  }
}
