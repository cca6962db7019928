package io.github.redisext.core.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the shape of a JSON document read from Redis with the tree Gson writes back for the
 * value decoded from it: a property only in the input is unknown to the type, one only in the
 * output is missing from the document. Used by strict decoding.
 */
public final class JsonShape {
  private static final int MAX_REPORTED = 5;

  private JsonShape() {}

  /** A description of the first few differences ("unknown property $.x, missing property $.y"), or null. */
  public static String difference(JsonElement in, JsonElement out) {
    List<String> problems = new ArrayList<>();
    compare(in, out, "$", problems);
    return problems.isEmpty() ? null : String.join(", ", problems);
  }

  private static void compare(JsonElement in, JsonElement out, String path, List<String> problems) {
    if (problems.size() >= MAX_REPORTED || in == null || out == null) {
      return;
    }
    if (in.isJsonObject() && out.isJsonObject()) {
      JsonObject i = in.getAsJsonObject();
      JsonObject o = out.getAsJsonObject();
      for (String k : i.keySet()) {
        if (!o.has(k)) {
          add(problems, "unknown property " + path + "." + k);
        }
      }
      for (String k : o.keySet()) {
        if (!i.has(k)) {
          add(problems, "missing property " + path + "." + k);
        } else {
          compare(i.get(k), o.get(k), path + "." + k, problems);
        }
      }
    } else if (in.isJsonArray() && out.isJsonArray()) {
      JsonArray i = in.getAsJsonArray();
      JsonArray o = out.getAsJsonArray();
      for (int n = 0; n < Math.min(i.size(), o.size()); n++) {
        compare(i.get(n), o.get(n), path + "[" + n + "]", problems);
      }
    }
  }

  private static void add(List<String> problems, String p) {
    if (problems.size() < MAX_REPORTED) {
      problems.add(p);
    }
  }
}
