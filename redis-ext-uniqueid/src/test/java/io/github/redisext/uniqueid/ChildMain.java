package io.github.redisext.uniqueid;

import io.github.redisext.core.RedisClients;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.UnifiedJedis;

/**
 * A child JVM for the multi-process tests. Arguments: {@code uri klass mode ...}; it prints
 * {@code READY}, waits on {@code BLPOP <klass>:go} so all children start together, does its work,
 * writes the ids it got to a file and prints {@code DONE}.
 *
 * <ul>
 *   <li>{@code names SEED COUNT OUT}: COUNT getOrCreate calls, every other one on a walk of names
 *       shared by all children in the same order (they race on each new name), the others on
 *       random names; writes "name id" lines;
 *   <li>{@code seq BLOCK THREADS COUNT OUT}: THREADS threads each take COUNT ids with next();
 *       writes one line per thread with its ids in the order received;
 *   <li>{@code forever}: getOrCreate on c0, c1, c2, ... until killed, printing progress.
 * </ul>
 */
public final class ChildMain {
  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String uri = args[0];
    String klass = args[1];
    String mode = args[2];
    try (UnifiedJedis client = RedisClients.create(uri)) {
      switch (mode) {
        case "names" -> {
          UniqueId ids = UniqueId.create(client, klass);
          long seed = Long.parseLong(args[3]);
          int count = Integer.parseInt(args[4]);
          Random rnd = new Random(seed);
          awaitGo(client, klass, out);
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < count; i++) {
            String name = i % 2 == 0 ? "w" + (i / 2) : "r" + rnd.nextInt(20_000);
            sb.append(name).append(' ').append(ids.getOrCreate(name)).append('\n');
          }
          Files.writeString(Path.of(args[5]), sb, StandardCharsets.UTF_8);
        }
        case "seq" -> {
          UniqueId ids = UniqueId.create(client, klass,
              UniqueIdOptions.builder().sequenceBlockSize(Integer.parseInt(args[3])).build());
          int threads = Integer.parseInt(args[4]);
          int count = Integer.parseInt(args[5]);
          awaitGo(client, klass, out);
          ExecutorService pool = Executors.newFixedThreadPool(threads);
          List<Future<long[]>> fs = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Callable<long[]> job = () -> {
              long[] got = new long[count];
              for (int i = 0; i < count; i++) {
                got[i] = ids.next();
              }
              return got;
            };
            fs.add(pool.submit(job));
          }
          try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[6]))) {
            for (Future<long[]> f : fs) {
              long[] got = f.get();
              StringBuilder sb = new StringBuilder();
              for (long v : got) {
                sb.append(v).append(' ');
              }
              w.write(sb.toString().trim());
              w.newLine();
            }
          }
          pool.shutdown();
        }
        case "forever" -> {
          UniqueId ids = UniqueId.create(client, klass);
          UniqueId seq = UniqueId.create(client, klass,
              UniqueIdOptions.builder().sequenceBlockSize(1000).build());
          out.println("READY");
          for (long i = 0; ; i++) {
            ids.getOrCreate("c" + i);
            long s = seq.next();
            if (i % 100 == 0) {
              out.println("PROGRESS " + i + " " + s);
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
    out.println("DONE");
  }

  private static void awaitGo(UnifiedJedis client, String klass, PrintStream out) {
    out.println("READY");
    if (client.blpop(30, klass + ":go") == null) {
      throw new IllegalStateException("no go signal within 30 s");
    }
  }
}
