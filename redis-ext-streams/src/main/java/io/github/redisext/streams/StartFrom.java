package io.github.redisext.streams;

/** Where a consumer group starts reading when {@code process} has to create it. */
public enum StartFrom {
  /**
   * {@code $}: only entries added after the group is created (the Python library's default).
   * Entries added before the first consumer ever started are never processed by this group.
   */
  LATEST("$"),
  /**
   * {@code 0}: every entry in the stream, the oldest first. The safe choice for a new group: no
   * entry added before the first consumer started is skipped.
   */
  OLDEST("0");

  private final String id;

  StartFrom(String id) {
    this.id = id;
  }

  /** The id given to {@code XGROUP CREATE}: {@code $} or {@code 0}. */
  public String groupId() {
    return id;
  }
}
