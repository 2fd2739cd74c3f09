/**
 * The HTTP contract of Quotient's API, v1: every request body and every answer as a record, the
 * problem types, and the header names. The server writes its answers from these records; the Java
 * client and the CLI read them. Only Jackson's annotations are needed: a client reads and writes
 * the records with its own {@code ObjectMapper}, which needs the {@code JavaTimeModule} for the
 * instants.
 *
 * <p>Conventions of the wire, which the records keep:
 *
 * <ul>
 *   <li>Answers carry every documented member, {@code null} included: a field that can be null is
 *       marked so in the OpenAPI document, and is never left out.
 *   <li>Request records leave out what is null ({@code @JsonInclude(NON_NULL)}): the server tells an
 *       absent field from a given one (for example {@code metric} and {@code amount} versus
 *       {@code items}).
 *   <li>Ids of events and grants are strings: they are 64-bit, and JavaScript numbers are not.
 *   <li>Names of closed sets that may grow (denial reasons, event types, periods, roles,
 *       reservation states) are strings, so that a client built against this version still reads
 *       an answer of a newer server; the OpenAPI document lists the values of this version.
 * </ul>
 *
 * <p>Every record is immutable and thread-safe.
 */
package io.quotient.api;
