package io.quotient.engine;

import io.quotient.NotFoundException;
import io.quotient.plan.Plan;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plans by name, reloaded when the version a subject row joins to differs from the cached one, so
 * that a plan changed by any engine instance applies to the next batch. Thread-safe.
 */
final class PlanCache {
  private final ConcurrentHashMap<String, Store.VersionedPlan> plans = new ConcurrentHashMap<>();

  /** The plan at {@code version} or later; null when it does not exist. */
  Plan get(Connection c, String name, long version) throws SQLException {
    Store.VersionedPlan cached = plans.get(name);
    if (cached != null && cached.version() >= version) {
      return cached.plan();
    }
    Store.VersionedPlan loaded = Store.plan(c, name);
    if (loaded == null) {
      return null;
    }
    plans.merge(name, loaded, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    return loaded.plan();
  }

  /** The current plan, read from the database. */
  Plan latest(Connection c, String name) throws SQLException {
    Store.VersionedPlan loaded = Store.plan(c, name);
    if (loaded == null) {
      return null;
    }
    plans.merge(name, loaded, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    return loaded.plan();
  }

  /** The current plan; refuses with {@link NotFoundException} when it does not exist. */
  Plan require(Connection c, String name) throws SQLException {
    Plan plan = latest(c, name);
    if (plan == null) {
      throw new NotFoundException("plan", name);
    }
    return plan;
  }
}
