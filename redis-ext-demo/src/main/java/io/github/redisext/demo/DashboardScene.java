package io.github.redisext.demo;

import io.github.redisext.dashboard.Dashboard;
import io.github.redisext.dashboard.DashboardOptions;
import java.io.IOException;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/**
 * The end of the tour on request ({@code --dashboard}): the dashboard on everything the tour made,
 * with writes enabled behind a token printed here, until Enter or Ctrl-C.
 */
final class DashboardScene {
  private DashboardScene() {}

  /** Serves the dashboard until Enter is pressed (or, without a terminal, until Ctrl-C). */
  static boolean run(UnifiedJedis redis, String url) throws IOException, InterruptedException {
    String token = UUID.randomUUID().toString();
    DashboardOptions options = DashboardOptions.builder().allowWrites(token)
        .redisLabel(url.replaceFirst("://[^/@]*@", "://")).build();
    try (Dashboard d = Dashboard.start(redis, options)) {
      System.out.println();
      System.out.println("The dashboard is running at " + d.uri());
      System.out.println("   write token (to requeue and purge): " + token);
      System.out.println("   press Enter to stop it and end the tour");
      if (System.in.read() < 0) {
        Thread.currentThread().join(); // no terminal: serve until Ctrl-C
      }
    }
    return true;
  }
}
