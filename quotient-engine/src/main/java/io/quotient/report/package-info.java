/**
 * Month-end reports: overage per subject and metric priced in decimal money, and the usage export
 * for billing, one row per subject, metric and window of a calendar month.
 */
package io.quotient.report;
