package io.quotient.servlet;

import static java.util.Objects.requireNonNull;

import io.quotient.api.ConsumeRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One protected route: which requests (a path pattern, optionally methods), what they cost (metrics
 * and amounts, fixed or read from the request), when they are charged, and how the filter answers
 * a denial and an unreachable Quotient. Immutable; made by {@link #path}.
 *
 * <p>Path patterns are matched against the path within the application (without the context
 * path): {@code /api/chat} matches that path only; {@code /api/images/*} (or {@code /**}) matches
 * {@code /api/images} and every path below it.
 */
public final class QuotaRoute {
  private static final Pattern METRIC = Pattern.compile("[a-z0-9_.-]{1,64}");

  /** When a request is charged. */
  public enum Mode {
    /** Consumed before the handler runs, as the seeds' middleware does; a failing handler is charged anyway. */
    CONSUME,
    /**
     * Held (a reservation) before the handler runs; committed when the answer's status is below
     * 400, released on 400 and above or an exception. Units of a {@code concurrent} limit are held
     * exactly while the handler runs.
     */
    CHARGE_ON_SUCCESS;

    /** {@code consume} or {@code charge-on-success}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code consume} or {@code charge-on-success} (case and {@code _}/{@code -} ignored). */
    public static Mode parse(String name) {
      String n = requireNonNull(name, "mode").strip().toUpperCase(Locale.ROOT).replace('-', '_');
      for (Mode mode : values()) {
        if (mode.name().equals(n)) {
          return mode;
        }
      }
      throw new IllegalArgumentException("mode must be consume or charge-on-success, was '" + name + "'");
    }
  }

  /** What happens to a request when Quotient cannot be asked. */
  public enum FailureMode {
    /** Refused with a 503 problem {@code quota-unavailable} (the default). */
    FAIL_CLOSED,
    /** Let through uncounted; counted by the filter and logged at most once a minute. */
    FAIL_OPEN;

    /** Parses {@code fail-closed} / {@code closed} or {@code fail-open} / {@code open}. */
    public static FailureMode parse(String name) {
      String n = requireNonNull(name, "failureMode").strip().toLowerCase(Locale.ROOT).replace('_', '-');
      return switch (n) {
        case "fail-closed", "closed" -> FAIL_CLOSED;
        case "fail-open", "open" -> FAIL_OPEN;
        default -> throw new IllegalArgumentException("failure mode must be fail-closed or fail-open, was '" + name + "'");
      };
    }
  }

  private final String pattern;
  private final String prefix;
  private final Set<String> methods;
  private final Function<HttpServletRequest, List<ConsumeRequest.Item>> items;
  private final boolean itemsFromRequest;
  private final Mode mode;
  private final FailureMode failureMode;
  private final int denialStatus;
  private final boolean deduplicate;
  private final String upgradeUrl;
  private final Duration holdFor;

  private QuotaRoute(Builder b) {
    this.pattern = b.pattern;
    this.prefix = prefixOf(b.pattern);
    this.methods = Set.copyOf(b.methods);
    List<ConsumeRequest.Item> fixed = List.copyOf(b.fixedItems);
    this.items = b.items != null ? b.items : request -> fixed;
    this.itemsFromRequest = b.items != null;
    this.mode = b.mode;
    this.failureMode = b.failureMode;
    this.denialStatus = b.denialStatus;
    this.deduplicate = b.deduplicate;
    this.upgradeUrl = b.upgradeUrl;
    this.holdFor = b.holdFor;
  }

  /** A route for requests whose path matches {@code pattern} (see the class comment). */
  public static Builder path(String pattern) {
    return new Builder(pattern);
  }

  /** The path pattern. */
  public String pattern() {
    return pattern;
  }

  /** When requests are charged. */
  public Mode mode() {
    return mode;
  }

  /** What happens when Quotient cannot be asked. */
  public FailureMode failureMode() {
    return failureMode;
  }

  /** The status of a denial: 429, 402 or 403. */
  public int denialStatus() {
    return denialStatus;
  }

  /** True when requests without an idempotency key get one derived from subject, route, body and a 5-second window. */
  public boolean deduplicate() {
    return deduplicate;
  }

  /** The upgrade URL named in a denial; null when none. */
  public String upgradeUrl() {
    return upgradeUrl;
  }

  /** How long a {@code charge-on-success} hold lasts if it is never settled (a crashed handler). */
  public Duration holdFor() {
    return holdFor;
  }

  boolean matches(String method, String path) {
    if (!methods.isEmpty() && !methods.contains(method.toUpperCase(Locale.ROOT))) {
      return false;
    }
    if (prefix == null) {
      return path.equals(pattern);
    }
    return path.equals(prefix) || path.startsWith(prefix + "/") || prefix.isEmpty();
  }

  /** True when the filter must keep the request body (to hash it, or for the items function to read). */
  boolean needsBody() {
    return deduplicate || itemsFromRequest;
  }

  List<ConsumeRequest.Item> items(HttpServletRequest request) {
    List<ConsumeRequest.Item> list = items.apply(request);
    return list == null ? List.of() : list;
  }

  private static String prefixOf(String pattern) {
    if (pattern.endsWith("/**")) {
      return pattern.substring(0, pattern.length() - 3);
    }
    if (pattern.endsWith("/*")) {
      return pattern.substring(0, pattern.length() - 2);
    }
    return null;
  }

  @Override
  public String toString() {
    return (methods.isEmpty() ? "" : String.join(",", new TreeSet<>(methods)) + " ") + pattern + " (" + mode.wireName() + ")";
  }

  /** Settings of one route. Not thread-safe. */
  public static final class Builder {
    private final String pattern;
    private final Set<String> methods = new TreeSet<>();
    private final List<ConsumeRequest.Item> fixedItems = new ArrayList<>();
    private Function<HttpServletRequest, List<ConsumeRequest.Item>> items;
    private Mode mode = Mode.CONSUME;
    private FailureMode failureMode = FailureMode.FAIL_CLOSED;
    private int denialStatus = 429;
    private boolean deduplicate;
    private String upgradeUrl;
    private Duration holdFor = Duration.ofMinutes(5);

    private Builder(String pattern) {
      requireNonNull(pattern, "pattern");
      if (!pattern.startsWith("/")) {
        throw new IllegalArgumentException("a path pattern starts with '/', was '" + pattern + "'");
      }
      String inner = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3)
          : pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
      if (inner.contains("*")) {
        throw new IllegalArgumentException("'*' may only end a path pattern ('/x/*' or '/x/**'), was '" + pattern + "'");
      }
      this.pattern = pattern;
    }

    /** Only requests with these methods (GET, POST, …); every method unless set. */
    public Builder methods(String... methods) {
      for (String m : methods) {
        this.methods.add(requireNonNull(m, "method").toUpperCase(Locale.ROOT));
      }
      return this;
    }

    /** Each request costs {@code amount} of {@code metric}; several calls charge several metrics together, all or nothing. */
    public Builder metric(String metric, long amount) {
      requireNonNull(metric, "metric");
      if (!METRIC.matcher(metric).matches()) {
        throw new IllegalArgumentException("metric must match [a-z0-9_.-]{1,64}, was '" + metric + "'");
      }
      if (amount <= 0) {
        throw new IllegalArgumentException("amount must be positive, was " + amount);
      }
      fixedItems.add(new ConsumeRequest.Item(metric, amount));
      return this;
    }

    /**
     * What a request costs, read from the request (for example a premium model in the body costs
     * {@code premium_messages} too); an empty list lets the request through uncharged. The
     * request's body may be read: the handler reads it again. Replaces {@link #metric}.
     */
    public Builder items(Function<HttpServletRequest, List<ConsumeRequest.Item>> items) {
      this.items = requireNonNull(items, "items");
      return this;
    }

    /** When requests are charged; {@link Mode#CONSUME} unless set. */
    public Builder mode(Mode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /** What happens when Quotient cannot be asked; {@link FailureMode#FAIL_CLOSED} unless set. */
    public Builder failureMode(FailureMode failureMode) {
      this.failureMode = requireNonNull(failureMode, "failureMode");
      return this;
    }

    /** The status of a denial: 429 (the default), 402 or 403. */
    public Builder denialStatus(int status) {
      if (status != 429 && status != 402 && status != 403) {
        throw new IllegalArgumentException("a denial's status is 429, 402 or 403, was " + status);
      }
      this.denialStatus = status;
      return this;
    }

    /**
     * Charges a repeated request once: a request without an {@code Idempotency-Key} gets a key
     * derived from its subject, the route, its path, a hash of its body and the 5-second window it
     * arrives in (the seeds' rule), so a double-clicked "generate" is charged once. Off unless set.
     */
    public Builder deduplicate(boolean on) {
      this.deduplicate = on;
      return this;
    }

    /** The URL a denial points the user to (the problem's {@code upgradeUrl}); none unless set. */
    public Builder upgradeUrl(String url) {
      this.upgradeUrl = url;
      return this;
    }

    /** How long a {@code charge-on-success} hold lasts if never settled; 5 minutes unless set (1 s to 24 h). */
    public Builder holdFor(Duration duration) {
      requireNonNull(duration, "holdFor");
      if (duration.toSeconds() < 1 || duration.toSeconds() > 86_400) {
        throw new IllegalArgumentException("holdFor must be between 1 second and 24 hours, was " + duration);
      }
      this.holdFor = duration;
      return this;
    }

    /**
     * The route.
     *
     * @throws IllegalStateException when it names no metric and no items function
     */
    public QuotaRoute build() {
      if (items == null && fixedItems.isEmpty()) {
        throw new IllegalStateException("route " + pattern + " charges nothing: give it a metric or an items function");
      }
      return new QuotaRoute(this);
    }
  }
}
