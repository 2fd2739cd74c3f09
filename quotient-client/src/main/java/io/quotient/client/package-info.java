/**
 * The Java client of Quotient's HTTP API: {@link io.quotient.client.QuotientClient}, one shared,
 * thread-safe instance per application, made by its builder. Answers are the records of
 * {@code io.quotient.api}; a denial is an answer ({@code allowed == false}), never an exception.
 * Calls that cannot be answered throw one family, {@link io.quotient.client.QuotientException}:
 * the server could not be reached, did not answer in time, answered with an RFC 9457 problem, or
 * answered something that is not Quotient's API. {@link io.quotient.client.LiveStream} follows
 * the live stream and resumes it after a drop. Built on the JDK's {@code java.net.http.HttpClient}
 * and Jackson only; it knows nothing of the engine.
 */
package io.quotient.client;
