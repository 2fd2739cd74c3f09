package io.quotient.servlet;

import static java.util.Objects.requireNonNull;

import io.quotient.client.QuotientClient;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Jakarta Servlet 6 filter that protects routes with Quotient.
 *
 * <pre>{@code
 * QuotaFilter filter = QuotaFilter.builder(quotientClient)
 *     .subjects(request -> request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName())
 *     .route(QuotaRoute.path("/api/generate").methods("POST").metric("ai_generations", 1)
 *         .mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS).upgradeUrl("https://example.com/pricing").build())
 *     .build();
 * }</pre>
 *
 * <p>For a request that matches a route (the first that matches, in the order given):
 *
 * <ol>
 *   <li>the subject comes from the {@link QuotaSubjectResolver} (none: a 401 problem);
 *   <li>the idempotency key is the request's {@code Idempotency-Key} or {@code X-Idempotency-Key},
 *       passed on to Quotient, so a retried request is charged once; without one, a route that
 *       {@link QuotaRoute.Builder#deduplicate deduplicates} derives one from the subject, the
 *       route, the path, a SHA-256 of the body and the 5-second window;
 *   <li>{@code consume} consumes before the handler; {@code charge-on-success} reserves before the
 *       handler and commits when the answer's status is below 400 (releases on 400 and above, or
 *       an exception);
 *   <li>a denial answers the route's status (429, 402 or 403) with {@code Retry-After},
 *       {@code RateLimit-Policy}, {@code RateLimit} and an {@code application/problem+json} body
 *       of type {@code urn:quotient:problem:quota-exceeded} with {@code metric}, {@code limit},
 *       {@code remaining}, {@code reset}, {@code upgradeUrl} and {@code reason}; the handler does
 *       not run;
 *   <li>a granted request carries {@code RateLimit-Policy} and {@code RateLimit} on its answer, and
 *       the handler finds a {@link QuotaDecision} in the request attribute {@link QuotaDecision#ATTRIBUTE};
 *   <li>when Quotient cannot be asked (unreachable, timeout, the client's circuit breaker open,
 *       storage unavailable), a {@code fail-closed} route answers 503 {@code quota-unavailable}
 *       and a {@code fail-open} route lets the request through uncounted, counted here
 *       ({@link QuotaGate#failedOpen()}) and logged at most once a minute.
 * </ol>
 *
 * <p>Requests that match no route pass untouched. The filter does not close the client. Thread-safe.
 */
public final class QuotaFilter implements Filter {
  private final QuotaGate gate;
  private final List<QuotaRoute> routes;

  private QuotaFilter(QuotaGate gate, List<QuotaRoute> routes) {
    this.gate = gate;
    this.routes = List.copyOf(routes);
  }

  /** A builder over {@code client} (shared with the application; not closed by the filter). */
  public static Builder builder(QuotientClient client) {
    return new Builder(requireNonNull(client, "client"));
  }

  /** A filter in front of {@code gate} (shared, for example, with annotation-driven glue). */
  public static QuotaFilter of(QuotaGate gate, List<QuotaRoute> routes) {
    return new QuotaFilter(requireNonNull(gate, "gate"), requireNonNull(routes, "routes"));
  }

  /** The routes, in matching order. */
  public List<QuotaRoute> routes() {
    return routes;
  }

  /** The gate the filter asks through. */
  public QuotaGate gate() {
    return gate;
  }

  /** Requests let through uncounted by fail-open routes (of this filter's gate). */
  public long failedOpen() {
    return gate.failedOpen();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    QuotaRoute route = routeFor(request);
    if (route == null) {
      chain.doFilter(request, response);
      return;
    }
    QuotaGate.Admission admission = gate.admit(request, response, route);
    if (!admission.proceed()) {
      return;
    }
    if (admission.reservationId() == null) {
      chain.doFilter(admission.request(), response);
      return;
    }
    chargeOnSuccess(admission.reservationId(), admission.request(), response, chain);
  }

  private void chargeOnSuccess(String reservationId, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    boolean async = false;
    boolean failed = true;
    try {
      chain.doFilter(request, response);
      if (request.isAsyncStarted()) {
        async = true;
        AtomicBoolean settled = new AtomicBoolean();
        request.getAsyncContext().addListener(new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            if (settled.compareAndSet(false, true)) {
              gate.settle(reservationId, response.getStatus() < 400);
            }
          }

          @Override
          public void onTimeout(AsyncEvent event) {
            if (settled.compareAndSet(false, true)) {
              gate.settle(reservationId, false);
            }
          }

          @Override
          public void onError(AsyncEvent event) {
            if (settled.compareAndSet(false, true)) {
              gate.settle(reservationId, false);
            }
          }

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
      } else {
        failed = response.getStatus() >= 400;
      }
    } finally {
      if (!async) {
        gate.settle(reservationId, !failed);
      }
    }
  }

  private QuotaRoute routeFor(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    for (QuotaRoute route : routes) {
      if (route.matches(request.getMethod(), path)) {
        return route;
      }
    }
    return null;
  }

  /** Settings of a {@link QuotaFilter}. Not thread-safe. */
  public static final class Builder {
    private final QuotaGate.Builder gate;
    private final List<QuotaRoute> routes = new ArrayList<>();

    private Builder(QuotientClient client) {
      this.gate = QuotaGate.builder(client);
    }

    /** Names each request's subject (required). */
    public Builder subjects(QuotaSubjectResolver subjects) {
      gate.subjects(subjects);
      return this;
    }

    /** Protects a route; routes are matched in the order given, the first match wins. */
    public Builder route(QuotaRoute route) {
      routes.add(requireNonNull(route, "route"));
      return this;
    }

    /** The clock of headers, de-duplication windows and fail-open logs; the system's unless set. */
    public Builder clock(Clock clock) {
      gate.clock(clock);
      return this;
    }

    /** Where the gate's warnings go (tests read them). */
    Builder log(System.Logger log) {
      gate.log(log);
      return this;
    }

    /** The longest body a route that reads bodies accepts (413 past it); 1 MiB unless set. */
    public Builder maxBodyBytes(int bytes) {
      gate.maxBodyBytes(bytes);
      return this;
    }

    /**
     * The filter.
     *
     * @throws IllegalStateException without a subject resolver
     */
    public QuotaFilter build() {
      return new QuotaFilter(gate.build(), routes);
    }
  }
}
