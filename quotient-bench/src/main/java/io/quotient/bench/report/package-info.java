/**
 * The report: one row per scenario or baseline, and the table that prints them side by side with
 * each scenario's ratio to the baselines of the same shape measured in the same run.
 */
package io.quotient.bench.report;
