/** The runnable tour of redis-ext; see {@link io.github.redisext.demo.Demo}. */
package io.github.redisext.demo;
