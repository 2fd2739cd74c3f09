/**
 * {@code bench/run analytics}: builds a large set of analytics rollups and times each analytics
 * answer against its goal.
 */
package io.quotient.bench.analytics;
