/** Transfers: units of one metric moved at once from one subject's allowance to a grant on another. */
package io.quotient.transfer;
