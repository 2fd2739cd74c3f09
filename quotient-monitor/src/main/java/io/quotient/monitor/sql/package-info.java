/** The monitor's one way of running its own SQL outside a projection's batch. */
package io.quotient.monitor.sql;
