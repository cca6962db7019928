/** Internals of the Micrometer binding: meter naming and the bounded gauge reader. */
package io.github.redisext.micrometer.internal;
