package io.github.redisext.fastset;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks a real Python ({@code python3} on the PATH) for {@code json.dumps(v, sort_keys=True)} of
 * values, to check FastSet members byte for byte against what the Python FastSet writes.
 */
final class PythonJson {
  private PythonJson() {}

  static boolean available() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (new File(d, "python3").canExecute()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Python's text for each value. Values travel to Python as a JSON array of tagged strings (so
   * floats and big integers arrive exactly): {@code ["s", text]}, {@code ["f", repr-able text]},
   * {@code ["i", digits]}, {@code ["b", "true"]}.
   */
  static List<String> dumps(List<Object> values) throws IOException, InterruptedException {
    JsonArray in = new JsonArray();
    for (Object v : values) {
      JsonArray tagged = new JsonArray();
      if (v instanceof String s) {
        tagged.add("s");
        tagged.add(s);
      } else if (v instanceof Double d) {
        tagged.add("f");
        tagged.add(Double.toString(d));
      } else if (v instanceof Long || v instanceof BigInteger) {
        tagged.add("i");
        tagged.add(v.toString());
      } else if (v instanceof Boolean b) {
        tagged.add("b");
        tagged.add(b.toString());
      } else {
        throw new IllegalArgumentException("unsupported " + v.getClass());
      }
      in.add(tagged);
    }
    String script = "import json,sys\n"
        + "conv={'s':str,'f':float,'i':int,'b':lambda t: t=='true'}\n"
        + "for tag,text in json.loads(sys.stdin.read()):\n"
        + "  sys.stdout.write(json.dumps(conv[tag](text), sort_keys=True)+'\\n')\n";
    Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
    p.getOutputStream().write(new Gson().toJson(in).getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("python3 failed: " + out);
    }
    List<String> lines = new ArrayList<>(List.of(out.split("\n")));
    if (lines.size() != values.size()) {
      throw new IllegalStateException("python3 printed " + lines.size() + " lines: " + out);
    }
    return lines;
  }
}
