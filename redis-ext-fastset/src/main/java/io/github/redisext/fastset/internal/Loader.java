package io.github.redisext.fastset.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.ScanParams;

/**
 * Loads the whole set: SSCAN in batches between two version reads, made exact by applying the log
 * entries written meanwhile (the {@link Follower}'s one decision says whether they fit); when
 * writers that do not log (Python) keep changing the set during {@value #FULL_SCAN_ATTEMPTS}
 * scans, one atomic SMEMBERS in a script instead. Touches no cache: it returns what it loaded.
 *
 * @param <T> the element type
 */
final class Loader<T> {
  private static final Logger log = LoggerFactory.getLogger(Loader.class);
  private static final int FULL_SCAN_ATTEMPTS = 3;

  /** A loaded set: element → member, at one version of one epoch. */
  record Loaded<T>(ConcurrentHashMap<T, String> members, RemoteSet.Head head) {}

  private final RemoteSet remote;
  private final Members<T> members;
  private final SetCounters counters;
  private final String name;

  Loader(RemoteSet remote, Members<T> members, SetCounters counters, String name) {
    this.remote = remote;
    this.members = members;
    this.counters = counters;
    this.name = name;
  }

  /**
   * The whole set.
   *
   * @throws io.github.redisext.fastset.FastSetDecodeException if a member cannot be decoded
   */
  Loaded<T> load() {
    counters.loading();
    for (int attempt = 1; attempt <= FULL_SCAN_ATTEMPTS; attempt++) {
      RemoteSet.Head start = remote.startLoad();
      ConcurrentHashMap<T, String> fresh = new ConcurrentHashMap<>();
      RemoteSet.Page page;
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        page = remote.scan(cursor);
        for (String m : page.members()) {
          fresh.put(members.decode(m), m);
        }
        cursor = page.cursor();
      } while (!page.last());
      RemoteSet.Changes meanwhile = remote.changesSince(start.version());
      Follower.Plan plan = Follower.plan(start, false,
          Follower.News.reply(meanwhile, start.version()));
      switch (plan.action()) {
        case NOTHING -> {
          return new Loaded<>(fresh, start);
        }
        case APPLY -> {
          for (Entry e : plan.entries()) {
            members.apply(fresh, e, Map.of());
          }
          return new Loaded<>(fresh, meanwhile.head());
        }
        default -> log.debug("FastSet '{}': set changed without a log entry during a scan (v{} "
            + "-> v{}); scanning again", name, start.version(), meanwhile.head().version());
      }
    }
    RemoteSet.AllMembers all = remote.all();
    ConcurrentHashMap<T, String> fresh = new ConcurrentHashMap<>(all.members().size() * 2);
    for (String m : all.members()) {
      fresh.put(members.decode(m), m);
    }
    return new Loaded<>(fresh, all.head());
  }
}
