/** Status: a subject's current usage per metric, read without waiting behind the writer. */
package io.quotient.status;
