/**
 * Implementation of redis-ext-worker: the Redis calls ({@code WorkerScripts}, the only class that
 * runs scripts and reads replies), the kernel store ({@code TaskStore}) with its blocking wait and
 * lease keeper, the worker's life ({@code WorkerRuntime}), key layout and Lua scripts. Not an API;
 * it may change in any release.
 */
package io.github.redisext.worker.internal;
