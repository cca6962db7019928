package io.github.redisext.fastset.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One change of a FastSet as logged in {@code <key>:log} and published on {@code <key>:changed}:
 * {@code "<version> <epoch>\n+<member>\n-<member>..."}, {@code "<version> <epoch>\n*"} (cleared)
 * or {@code "<version> <epoch>\n!"} (too big to list: reload).
 *
 * @param version the version this change produced
 * @param epoch the incarnation of the set it belongs to (see change.lua)
 * @param cleared whether the set was cleared
 * @param reload whether the change is too big to apply (reload the whole set)
 * @param added members added
 * @param removed members removed
 */
public record Entry(long version, String epoch, boolean cleared, boolean reload, List<String> added,
    List<String> removed) {

  /**
   * Parses an entry.
   *
   * @throws IllegalArgumentException if it is not an entry
   */
  public static Entry parse(String text) {
    int nl = text.indexOf('\n');
    String head = nl < 0 ? text : text.substring(0, nl);
    int sp = head.indexOf(' ');
    long version = Long.parseLong(sp < 0 ? head : head.substring(0, sp));
    String epoch = sp < 0 ? "" : head.substring(sp + 1);
    boolean cleared = false;
    boolean reload = false;
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    int from = nl + 1;
    while (nl >= 0 && from <= text.length()) {
      int end = text.indexOf('\n', from);
      if (end < 0) {
        end = text.length();
      }
      if (end > from) {
        char op = text.charAt(from);
        String member = text.substring(from + 1, end);
        switch (op) {
          case '+' -> added.add(member);
          case '-' -> removed.add(member);
          case '*' -> cleared = true;
          case '!' -> reload = true;
          default -> throw new IllegalArgumentException("bad change entry line '"
              + text.substring(from, end) + "'");
        }
      }
      from = end + 1;
    }
    return new Entry(version, epoch, cleared, reload, added, removed);
  }
}
