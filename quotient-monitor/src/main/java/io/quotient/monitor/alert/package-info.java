/**
 * Threshold alerts: {@link io.quotient.monitor.alert.AlertRule}s (default 80 % warning, 95 %
 * critical, 100 % exceeded), decided from each committed decision in the feed by a projection
 * that keeps the state ({@link io.quotient.monitor.alert.Alert}) in the same transaction as its
 * cursor and appends {@code alert.triggered} / {@code alert.resolved} to the feed.
 * {@link io.quotient.monitor.alert.Alerts} is the rules' and alerts' public face.
 */
package io.quotient.monitor.alert;
