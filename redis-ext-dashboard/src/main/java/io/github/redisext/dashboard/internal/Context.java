package io.github.redisext.dashboard.internal;

import io.github.redisext.core.support.ServerTime;
import io.github.redisext.core.support.Registry;
import java.time.Instant;
import redis.clients.jedis.UnifiedJedis;

/**
 * What a view needs to render one request: the client, the limits, the server's clock, the cached
 * primitive handles, the rates, and whether this request may act (and its CSRF token).
 *
 * @param client the dashboard's Redis client
 * @param handles primitive objects opened by the dashboard, reused across requests
 * @param rates the per-minute counts
 * @param previewChars how much of a payload a table shows
 * @param listLimit how many rows a table shows
 * @param now the Redis server's time at the start of the request
 * @param csrf the session's CSRF token when this request may act, else null
 * @param writes whether write actions are enabled at all (a token was configured)
 */
public record Context(UnifiedJedis client, Handles handles, RateStore rates, int previewChars,
    int listLimit, Instant now, String csrf, boolean writes) {

  /** The server's time, read once per request (routed like the registry key). */
  public static Instant serverNow(UnifiedJedis client) {
    return ServerTime.now(client, Registry.KEY);
  }

  /** Whether this request may requeue and purge. */
  public boolean canAct() {
    return csrf != null;
  }
}
