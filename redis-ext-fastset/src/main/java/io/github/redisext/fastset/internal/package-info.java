/**
 * Implementation of {@link io.github.redisext.fastset.FastSet}, split along its data flow. Not a
 * public API.
 *
 * <ul>
 *   <li>{@link io.github.redisext.fastset.internal.RemoteSet}: the only class that runs the Lua
 *       scripts (and the SSCAN of a load) and turns their replies into records.
 *   <li>{@link io.github.redisext.fastset.internal.Writer}: sends writes, hands their replies on.
 *   <li>{@link io.github.redisext.fastset.internal.Follower}: the one "apply these changes or
 *       reload" decision, for write replies, version checks, pub/sub messages and loads.
 *   <li>{@link io.github.redisext.fastset.internal.Loader}: full loads (SSCAN + log, or one
 *       SMEMBERS).
 *   <li>{@link io.github.redisext.fastset.internal.LocalCache}: the cached elements, version and
 *       iteration snapshot.
 *   <li>{@link io.github.redisext.fastset.internal.Invalidation}: the refresh timer and the
 *       pub/sub subscription.
 *   <li>{@link io.github.redisext.fastset.internal.Members}, {@link
 *       io.github.redisext.fastset.internal.Entry}: member text and change entries.
 *   <li>{@link io.github.redisext.fastset.internal.OpenSet}: wires them and owns the lifecycle.
 * </ul>
 */
package io.github.redisext.fastset.internal;
