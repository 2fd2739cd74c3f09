/**
 * Analytics kept from the feed: daily rollups per subject × metric × UTC day, decisions per hour
 * and the latest usage of each subject × metric, written by one exactly-once projection; and the
 * answers read from them — a subject's series with its average, trend and forecast, the plan to
 * recommend, and the operators' near-limit list, denial rate, distribution and top consumers.
 */
package io.quotient.monitor.analytics;
