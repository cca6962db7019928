package io.github.redisext.debounce;

import io.github.redisext.core.RedisClients;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * A competing popper in a child JVM: waits for a go signal (BLPOP), pops batches until nothing is
 * due, writes every task it got to a file, prints {@code DONE <n>}.
 * Args: uri, key, go-list key, batch size, output file.
 */
public final class PopperMain {
  private PopperMain() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String key = args[1];
    String go = args[2];
    int batch = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    try (UnifiedJedis client = RedisClients.create(uri);
        DebounceTask<Long> tasks = DebounceTask.create(client, key, Long.class);
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      System.out.println("READY");
      System.out.flush();
      if (client.blpop(60, go) == null) {
        System.out.println("NO-GO");
        return;
      }
      long n = 0;
      while (true) {
        List<Long> got = tasks.pop(batch);
        if (got.isEmpty()) {
          break;
        }
        for (Long t : got) {
          w.println(t);
        }
        n += got.size();
      }
      w.flush();
      System.out.println("DONE " + n);
      System.out.flush();
    }
  }
}
