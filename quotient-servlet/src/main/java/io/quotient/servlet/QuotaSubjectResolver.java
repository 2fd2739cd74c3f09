package io.quotient.servlet;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Names the subject a request's usage is counted for: the signed-in user, the organisation, an
 * API key, a client address. Provided by the application; called once per protected request, on
 * the request's thread.
 */
@FunctionalInterface
public interface QuotaSubjectResolver {
  /**
   * The subject of {@code request}; null or blank when there is none, which the filter answers
   * with a 401 problem without asking Quotient.
   */
  String subjectOf(HttpServletRequest request);
}
